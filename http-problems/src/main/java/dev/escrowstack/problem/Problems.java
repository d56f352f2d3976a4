package dev.escrowstack.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import io.quarkus.logging.Log;

/** Turns a {@link ProblemException} into an {@code application/problem+json} response. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:escrow-stack:problem:";

    private Problems() {
    }

    /**
     * A failure nobody planned for: a 500 that tells the client nothing about the internals, logged here
     * with its stack. Services whose own mappers see an exception they do not recognise end up here too.
     */
    public static Response unexpected(Throwable e) {
        Log.error("unexpected error", e);
        return toResponse(new ProblemException(500, "internal-error", "Internal error", "the service failed unexpectedly; see its log"));
    }

    public static Response toResponse(ProblemException problem) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", TYPE_PREFIX + problem.type());
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.getMessage());
        body.putAll(problem.extensions());
        Response.ResponseBuilder response = Response.status(problem.status()).type(MEDIA_TYPE).entity(body);
        if (problem.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, (problem.retryAfter().toMillis() + 999) / 1000));
        }
        if (problem.status() == 401) {
            response.header("WWW-Authenticate", problem.challenge());
        }
        return response.build();
    }
}
