package dev.escrowstack.escrow.support;

import java.nio.file.Path;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts a real wallet-gateway for the @QuarkusTests: a pool of 6 wallet-rpc processes, which holds
 * two escrows at a time, as in production's default.
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    /** Static so that a test can look at the pool (say, wait until its spare wallets are back). */
    private static volatile RealGateway gateway;

    public static RealGateway running() {
        return gateway;
    }

    @Override
    public Map<String, String> start() {
        gateway = new RealGateway(Path.of("target/escrow-test-gateway"), 6, 18400);
        try {
            gateway.start();
        } catch (Exception e) {
            gateway.stop();
            throw new IllegalStateException("could not start wallet-gateway for the tests", e);
        }
        return Map.of("wallet-gateway.urls", gateway.url(), "wallet-gateway.token", RealGateway.TOKEN);
    }

    @Override
    public void stop() {
        if (gateway != null) {
            gateway.stop();
        }
    }
}
