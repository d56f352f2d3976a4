package dev.escrowstack.gateway.health;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;
import org.eclipse.microprofile.health.Startup;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.ProcessHealth;
import dev.escrowstack.gateway.process.ProcessPool;

/** Readiness: the binary exists and at least one process is healthy. Started: the pool's first start ran. */
@ApplicationScoped
public class PoolHealthChecks {

    private final ProcessPool pool;
    private final GatewayConfig config;

    public PoolHealthChecks(ProcessPool pool, GatewayConfig config) {
        this.pool = pool;
        this.config = config;
    }

    @Produces
    @Readiness
    HealthCheck ready() {
        return () -> {
            Optional<Path> binary = findBinary(config.pool().binary());
            long healthy = pool.healthyCount();
            return HealthCheckResponse.named("wallet-rpc-pool")
                    .status(binary.isPresent() && healthy > 0)
                    .withData("binary", binary.map(Path::toString)
                            .orElse(config.pool().binary() + " not found: install Debian's monero package"))
                    .withData("healthy", healthy)
                    .withData("size", pool.processes().size())
                    .withData("last_failure", pool.startFailure().orElse("none"))
                    .build();
        };
    }

    @Produces
    @Liveness
    HealthCheck live() {
        // Restarting processes is the gateway's own job; it is alive while it keeps trying.
        return () -> HealthCheckResponse.named("wallet-gateway")
                .up()
                .withData("restarting", pool.processes().stream().filter(p -> p.health() == ProcessHealth.RESTARTING).count())
                .build();
    }

    @Produces
    @Startup
    HealthCheck started() {
        return () -> HealthCheckResponse.named("wallet-rpc-pool-started").status(pool.started()).build();
    }

    static Optional<Path> findBinary(String binary) {
        if (binary.contains("/")) {
            Path p = Path.of(binary);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        return Arrays.stream(path.split(":")).map(dir -> Path.of(dir, binary)).filter(Files::isExecutable).findFirst();
    }
}
