package dev.escrowstack.problem;

import java.util.List;

import jakarta.validation.ConstraintViolationException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

import io.quarkus.logging.Log;

/**
 * Every error leaves as problem+json: the service's own problems, bad JSON and failed validation
 * (400, naming the field), framework errors with their status, and anything unexpected as a 500
 * that is logged with its stack.
 */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return Problems.toResponse(e);
    }

    @ServerExceptionMapper
    public Response validation(ConstraintViolationException e) {
        List<String> violations = e.getConstraintViolations().stream()
                .map(v -> field(v.getPropertyPath().toString()) + ": " + v.getMessage()).sorted().toList();
        List<String> fields = e.getConstraintViolations().stream().map(v -> field(v.getPropertyPath().toString())).distinct().toList();
        // One field wrong, the usual case: named on its own, like the services' own field errors.
        return Problems.toResponse(new ProblemException(400, "validation-failed", "Invalid request",
                String.join("; ", violations)).with("violations", violations).with("field", fields.size() == 1 ? fields.get(0) : null));
    }

    @ServerExceptionMapper({ JsonProcessingException.class, JsonMappingException.class, MismatchedInputException.class,
            InvalidFormatException.class, UnrecognizedPropertyException.class })
    public Response badJson(JsonProcessingException e) {
        String where = e instanceof JsonMappingException m && !m.getPath().isEmpty()
                ? " at '" + m.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                        .reduce((a, b) -> a + "." + b).orElse("") + "'"
                : "";
        return Problems.toResponse(ProblemException.badRequest("malformed JSON body" + where + ": " + e.getOriginalMessage()));
    }

    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        if (e.getCause() instanceof JsonProcessingException json) {
            return badJson(json);
        }
        if (status >= 500) {
            Log.error("request failed", e);
        }
        return Problems.toResponse(new ProblemException(status, "http-" + status,
                Response.Status.fromStatusCode(status) != null ? Response.Status.fromStatusCode(status).getReasonPhrase() : "Error",
                e.getMessage()));
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e) {
        return Problems.unexpected(e);
    }

    /**
     * "make.body.multisigInfo" → "multisig_info": the client knows the JSON body (snake_case), not our
     * method and parameter names.
     */
    private static String field(String path) {
        String[] parts = path.split("\\.");
        String field = parts.length > 2 ? String.join(".", java.util.Arrays.copyOfRange(parts, 2, parts.length)) : path;
        return field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
