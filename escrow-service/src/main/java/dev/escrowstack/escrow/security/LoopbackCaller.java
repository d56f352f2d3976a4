package dev.escrowstack.escrow.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;

/**
 * The launcher's local default ({@link AuthConfig#loopbackRole()}): a call without a token from this machine acts
 * in that role, as subject {@code local}. A call with a token is never touched (a bad token stays a 401), nor is
 * an anonymous call from anywhere else.
 */
@ApplicationScoped
public class LoopbackCaller implements SecurityIdentityAugmentor {

    /** Whom the escrow's state changes and spans name for such a call. */
    public static final String SUBJECT = "local";

    private final AuthConfig config;

    public LoopbackCaller(AuthConfig config) {
        this.config = config;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        return augment(identity, context, Map.of());
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context, Map<String, Object> attributes) {
        if (!identity.isAnonymous() || config.loopbackRole().isEmpty()) {
            return Uni.createFrom().item(identity);
        }
        RoutingContext request = HttpSecurityUtils.getRoutingContextAttribute(attributes);
        if (request == null) {
            request = identity.getAttribute(RoutingContext.class.getName());
        }
        if (request == null || request.request().getHeader("Authorization") != null || !fromLoopback(request)) {
            return Uni.createFrom().item(identity);
        }
        return Uni.createFrom().item(QuarkusSecurityIdentity.builder()
                .setPrincipal(() -> SUBJECT)
                .addRole(config.loopbackRole().get())
                .build());
    }

    private static boolean fromLoopback(RoutingContext request) {
        // The socket's peer, not X-Forwarded-For: a header is the caller's to choose.
        var peer = request.request().connection().remoteAddress();
        if (peer == null || peer.hostAddress() == null) {
            return false;
        }
        try {
            return InetAddress.getByName(peer.hostAddress()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
