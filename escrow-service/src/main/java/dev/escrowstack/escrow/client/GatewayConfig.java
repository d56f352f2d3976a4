package dev.escrowstack.escrow.client;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Where the wallet-gateway pods are (environment: {@code WALLET_GATEWAY_URLS=http://a:8081,http://b:8081}). */
@ConfigMapping(prefix = "wallet-gateway")
public interface GatewayConfig {

    /**
     * Every gateway pod, each by its own address (in Kubernetes the StatefulSet's stable pod names, not the
     * Service: a Service would send each call to any pod). A new escrow goes to one of them and stays there,
     * recorded by the URL's host and port, so a pod can be added to the end of the list but not renamed.
     * Escrows recorded before routing existed belong to the first.
     */
    List<URI> urls();

    /** Required: without it escrow-service does not start (rather than fail every init). */
    String token();

    @WithDefault("5s")
    Duration connectTimeout();

    /** A lease call may wait up to 300 s for free wallets; wallet steps are bounded by the round timeout. */
    @WithDefault("330s")
    Duration readTimeout();
}
