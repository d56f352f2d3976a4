package dev.escrowstack.escrow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import dev.escrowstack.testsupport.GatewayJar;

/** The real wallet-gateway for escrow-service's tests: the jar the reactor built before this module, one token. */
public final class RealGateway {

    public static final String TOKEN = "escrow-test-gateway-token";

    private RealGateway() {
    }

    /** A gateway with {@code poolSize} wallet-rpc processes from {@code rpcBasePort}, as many spares, data under {@code dataDir}. */
    public static GatewayJar of(Path dataDir, int poolSize, int rpcBasePort) {
        try {
            return new GatewayJar(Path.of("../wallet-gateway/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize(),
                    dataDir, poolSize, poolSize, rpcBasePort, TOKEN);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
