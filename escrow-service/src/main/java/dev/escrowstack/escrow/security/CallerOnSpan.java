package dev.escrowstack.escrow.security;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.opentelemetry.api.trace.Span;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.smallrye.mutiny.Uni;

/** The caller's subject on the request's server span ({@code enduser.id}), so a trace says who asked. */
public class CallerOnSpan {

    static final String ENDUSER_ID = "enduser.id";

    private final CurrentIdentityAssociation identities;

    public CallerOnSpan(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    @ServerRequestFilter
    public Uni<Void> tag() {
        Span span = Span.current();
        return identities.getDeferredIdentity()
                .invoke(identity -> {
                    if (!identity.isAnonymous()) {
                        span.setAttribute(ENDUSER_ID, identity.getPrincipal().getName());
                    }
                })
                // A token that does not verify is answered by the authorization check (401), not here.
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
