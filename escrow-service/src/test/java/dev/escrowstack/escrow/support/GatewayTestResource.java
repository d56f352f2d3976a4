package dev.escrowstack.escrow.support;

import java.nio.file.Path;
import java.util.Map;

import dev.escrowstack.testsupport.GatewayJar;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real wallet-gateway for the @QuarkusTests that need real wallets: a pool of 6 wallet-rpc processes,
 * which holds two escrows at a time, as in production's default. Started once per test JVM and shared by
 * every test class and profile that names this resource — its start (six processes, six spare wallets at
 * 2–5 s of CPU each) is the most expensive thing these tests do. Stopped by pid when the test JVM exits.
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    private static GatewayJar gateway;

    /** The shared gateway, so that a test can look at the pool (say, wait until its spare wallets are back). */
    public static synchronized GatewayJar running() {
        return gateway;
    }

    @Override
    public Map<String, String> start() {
        synchronized (GatewayTestResource.class) {
            if (gateway == null || !gateway.running()) {
                gateway = RealGateway.of(Path.of("target/escrow-test-gateway"), 6, 18400);
                Runtime.getRuntime().addShutdownHook(new Thread(gateway::stopAll, "stop-test-gateway"));
                try {
                    gateway.start();
                } catch (Exception e) {
                    gateway.stopAll();
                    throw new IllegalStateException("could not start wallet-gateway for the tests", e);
                }
            }
            return Map.of("wallet-gateway.urls", gateway.url(), "wallet-gateway.token", RealGateway.TOKEN);
        }
    }

    @Override
    public void stop() {
        // Kept for the next test class; the shutdown hook stops it with the test JVM.
    }
}
