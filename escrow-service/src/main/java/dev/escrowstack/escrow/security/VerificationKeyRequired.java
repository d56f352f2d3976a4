package dev.escrowstack.escrow.security;

import java.util.Optional;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.StartupEvent;

/**
 * In the prod profile escrow-service does not start without a key to verify callers' tokens: without one every
 * call would be refused, or, worse, a misconfigured proxy would make the loopback default everyone's.
 */
@Singleton
public class VerificationKeyRequired {

    void check(@Observes StartupEvent start, @ConfigProperty(name = "quarkus.profile") String profile,
            @ConfigProperty(name = "mp.jwt.verify.publickey.location") Optional<String> location,
            @ConfigProperty(name = "mp.jwt.verify.publickey") Optional<String> key) {
        boolean noKey = location.filter(VerificationKeyRequired::given).isEmpty() && key.filter(VerificationKeyRequired::given).isEmpty();
        if (profile.equals("prod") && noKey) {
            throw new IllegalStateException("escrow-service needs a key to verify callers' tokens: set ESCROW_JWT_PUBLIC_KEY to"
                    + " the identity provider's public key (a PEM file) or JWKS URL, and ESCROW_JWT_ISSUER to its issuer");
        }
    }

    /** NONE is smallrye-jwt's spelling of "no key" (application.properties). */
    private static boolean given(String value) {
        return !value.isBlank() && !value.equals("NONE");
    }
}
