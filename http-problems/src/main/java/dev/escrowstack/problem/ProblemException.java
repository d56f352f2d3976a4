package dev.escrowstack.problem;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error a client should see as {@code application/problem+json} (RFC 9457). The type is a short
 * slug; the full type URI is {@code urn:escrow-stack:problem:<slug>}.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private Duration retryAfter;
    private String challenge = "Bearer";

    public ProblemException(int status, String type, String title, String detail) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
    }

    /** An extension member; the RFC 9457 members themselves (status, type, …) cannot be overwritten this way. */
    private static final java.util.Set<String> RESERVED = java.util.Set.of("type", "title", "status", "detail", "instance");

    public ProblemException with(String key, Object value) {
        if (RESERVED.contains(key)) {
            throw new IllegalArgumentException("'" + key + "' is a problem+json member, not an extension");
        }
        if (value != null) {
            extensions.put(key, value);
        }
        return this;
    }

    public ProblemException retryAfter(Duration retryAfter) {
        this.retryAfter = retryAfter;
        return this;
    }

    /** The WWW-Authenticate challenge of a 401 ({@code Bearer} unless set, e.g. a digest challenge). */
    public ProblemException challenge(String challenge) {
        this.challenge = challenge;
        return this;
    }

    public String challenge() {
        return challenge;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    public static ProblemException badRequest(String detail) {
        return new ProblemException(400, "bad-request", "Bad request", detail);
    }
}
