package dev.escrowstack.escrow.security;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.arc.Arc;
import io.quarkus.security.identity.CurrentIdentityAssociation;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is changing an escrow, for its {@code changed_by}: the caller's subject (the JWT's {@code sub}, or
 * {@code local} for the launcher's loopback default), {@code system} outside a request (funding watcher,
 * payout recovery).
 */
@ApplicationScoped
public class Caller {

    public static final String SYSTEM = "system";

    private final CurrentIdentityAssociation identities;

    public Caller(CurrentIdentityAssociation identities) {
        this.identities = identities;
    }

    public String subject() {
        if (!Arc.container().requestContext().isActive()) {
            return SYSTEM;
        }
        SecurityIdentity identity = identities.getIdentity();
        return identity == null || identity.isAnonymous() ? "anonymous" : identity.getPrincipal().getName();
    }
}
