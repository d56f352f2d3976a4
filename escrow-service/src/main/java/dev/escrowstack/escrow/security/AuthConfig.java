package dev.escrowstack.escrow.security;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/** Caller identity settings beyond the JWT verification itself (mp.jwt.verify.*: ESCROW_JWT_PUBLIC_KEY, ESCROW_JWT_ISSUER). */
@ConfigMapping(prefix = "escrow.auth")
public interface AuthConfig {

    /**
     * The role an unauthenticated call from this machine (loopback) acts in ({@code ESCROW_AUTH_LOOPBACK_ROLE}):
     * the launcher's local default is {@code marketplace}, so the skill's curl works as written. Unset (the
     * manifests): every call needs a token. Behind a reverse proxy on the same machine every call comes from
     * loopback, so leave it unset there.
     */
    Optional<String> loopbackRole();
}
