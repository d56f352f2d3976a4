package dev.escrowstack.escrow.security;

import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.problem.Problems;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/**
 * 401 and 403 as problem+json, like every other client error: no token or a token that does not verify
 * (signature, expiry, issuer) is a 401 with {@code WWW-Authenticate: Bearer}; a verified caller without the
 * endpoint's role a 403 naming the roles that may. What was wrong with a token is logged by smallrye-jwt at
 * debug level, never echoed (it would help whoever forges one).
 */
public class AuthProblems {

    @ServerExceptionMapper({ UnauthorizedException.class, AuthenticationFailedException.class })
    public Response unauthorized() {
        return Problems.toResponse(new ProblemException(401, "unauthorized", "Authentication required",
                "this endpoint needs a bearer token (a JWT of the marketplace's identity provider) that verifies: signed by"
                        + " the configured key, from the configured issuer, not expired"));
    }

    @ServerExceptionMapper(ForbiddenException.class)
    public Response forbidden() {
        return Problems.toResponse(new ProblemException(403, "forbidden", "Not allowed for this caller",
                "the caller's token does not carry a role that may do this: marketplace runs its escrows, arbiter resolves"
                        + " disputes, operator lists escrows"));
    }
}
