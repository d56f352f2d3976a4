package dev.escrowstack.escrow.support;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.escrowstack.testsupport.GatewayJar;

/**
 * Starts a real wallet-gateway for the @QuarkusTests: a pool of 6 wallet-rpc processes, which holds
 * two escrows at a time, as in production's default.
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    /** Static so that a test can look at the pool (say, wait until its spare wallets are back). */
    private static volatile GatewayJar gateway;

    public static GatewayJar running() {
        return gateway;
    }

    @Override
    public Map<String, String> start() {
        gateway = RealGateway.of(Path.of("target/escrow-test-gateway"), 6, 18400);
        try {
            gateway.start();
        } catch (Exception e) {
            gateway.stopAll();
            throw new IllegalStateException("could not start wallet-gateway for the tests", e);
        }
        return Map.of("wallet-gateway.urls", gateway.url(), "wallet-gateway.token", RealGateway.TOKEN);
    }

    @Override
    public void stop() {
        if (gateway != null) {
            gateway.stopAll();
        }
    }
}
