package dev.escrowstack.problem;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.core.Response;

/** Turns a {@link ProblemException} into an {@code application/problem+json} response. */
public final class Problems {

    public static final String MEDIA_TYPE = "application/problem+json";
    private static final String TYPE_PREFIX = "urn:escrow-stack:problem:";

    private Problems() {
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
            response.header("WWW-Authenticate", "Bearer");
        }
        return response.build();
    }
}
