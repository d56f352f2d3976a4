package dev.escrowstack.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.regex.Matcher;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.problem.Problems;

/**
 * Every {@code /v1} call needs {@code Authorization: Bearer <gateway.api-token>}; health, metrics and OpenAPI stay
 * open. The one exception is the pass-through, which also takes the lease's own wallet-RPC login ({@link DigestLogin}),
 * as standard wallet-RPC clients cannot send a bearer token.
 */
public class BearerTokenFilter {

    private final byte[] token;
    private final DigestLogin digest;

    public BearerTokenFilter(GatewayConfig config, DigestLogin digest) {
        this.token = config.apiToken().getBytes(StandardCharsets.UTF_8);
        this.digest = digest;
    }

    @ServerRequestFilter(preMatching = true)
    public Optional<Response> authenticate(ContainerRequestContext request) {
        String path = request.getUriInfo().getPath();
        if (!path.startsWith("/v1")) {
            return Optional.empty();
        }
        String header = request.getHeaderString("Authorization");
        Matcher passThrough = DigestLogin.PASS_THROUGH.matcher(path);
        if (passThrough.matches() && (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7))) {
            return digest.authenticate(request, passThrough.group(1), header);
        }
        if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)
                && MessageDigest.isEqual(token, header.substring(7).trim().getBytes(StandardCharsets.UTF_8))) {
            return Optional.empty();
        }
        return Optional.of(Problems.toResponse(new ProblemException(401, "unauthorized", "Unauthorized",
                header == null ? "send Authorization: Bearer <token>" : "the bearer token is not valid")));
    }
}
