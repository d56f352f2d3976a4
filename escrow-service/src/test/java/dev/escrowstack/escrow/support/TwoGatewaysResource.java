package dev.escrowstack.escrow.support;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import dev.escrowstack.testsupport.GatewayJar;

/**
 * Two real wallet-gateway pods, each with its own wallet-rpc processes and wallet directory, as a
 * StatefulSet of two gives them. Each pool holds one escrow at a time, so concurrent inits need both.
 */
public class TwoGatewaysResource implements QuarkusTestResourceLifecycleManager {

    /** The pods, in wallet-gateway.urls order; static so that the test can stop one. */
    public static final List<GatewayJar> PODS = List.of(
            RealGateway.of(Path.of("target/escrow-test-gateway-0"), 3, 18420),
            RealGateway.of(Path.of("target/escrow-test-gateway-1"), 3, 18430));

    @Override
    public Map<String, String> start() {
        try {
            for (GatewayJar pod : PODS) {
                pod.start();
            }
        } catch (Exception e) {
            stop();
            throw new IllegalStateException("could not start two wallet-gateways for the tests", e);
        }
        return Map.of("wallet-gateway.urls", PODS.get(0).url() + "," + PODS.get(1).url(), "wallet-gateway.token", RealGateway.TOKEN);
    }

    @Override
    public void stop() {
        PODS.forEach(GatewayJar::stopAll);
    }
}
