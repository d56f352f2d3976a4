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
import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.process.ProcessHealth;
import dev.escrowstack.gateway.process.ProcessPool;

/**
 * Readiness: the binary exists and at least one process is healthy; its data also says how warm the pool is
 * ({@code spares: 4/9}), because a lease that finds no spare waits 2–5 s per wallet for create_wallet. A cold pool is
 * still ready (it serves, only slower), so the launcher waits for the spares itself. Started: the pool's first start ran.
 */
@ApplicationScoped
public class PoolHealthChecks {

    private final ProcessPool pool;
    private final LeaseManager leases;
    private final GatewayConfig config;

    public PoolHealthChecks(ProcessPool pool, LeaseManager leases, GatewayConfig config) {
        this.pool = pool;
        this.leases = leases;
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
                    .withData("spares", leases.openSpares() + "/" + sparesTarget(config, pool.processes().size()))
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

    /** The spares the keeper fills up to when idle: one per process at most. */
    public static int sparesTarget(GatewayConfig config, int processes) {
        return Math.min(config.wallets().spares(), processes);
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
