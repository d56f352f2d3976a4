package dev.escrowstack.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.problem.Problems;

/** Every {@code /v1} call needs {@code Authorization: Bearer <gateway.api-token>}; health, metrics and OpenAPI stay open. */
public class BearerTokenFilter {

    private final byte[] token;

    public BearerTokenFilter(GatewayConfig config) {
        this.token = config.apiToken().getBytes(StandardCharsets.UTF_8);
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1")) {
            return Optional.empty();
        }
        String header = request.getHeaderString("Authorization");
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Problems.toResponse(new ProblemException(401, "unauthorized", "Unauthorized",
                header == null ? "send Authorization: Bearer <token>" : "the bearer token is not valid")));
    }
}
