package dev.escrowstack.gateway.process;

import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.rpc.WalletRpcClient;
import io.quarkus.scheduler.Scheduled;

/**
 * Periodic health probe of every process. A process whose call has run longer than
 * {@code gateway.pool.hung-after}, or that fails {@code health-failures} probes in a row, is killed;
 * its exit restarts it. Busy processes are not probed: a call in progress is its own sign of life.
 */
@ApplicationScoped
public class ProcessSupervisor {

    private final ProcessPool pool;
    private final WalletRpcClient rpc;
    private final GatewayConfig config;

    public ProcessSupervisor(ProcessPool pool, WalletRpcClient rpc, GatewayConfig config) {
        this.pool = pool;
        this.rpc = rpc;
        this.config = config;
    }

    @Scheduled(every = "${gateway.pool.health-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void probe() {
        if (!pool.started() || pool.shuttingDown()) {
            return;
        }
        for (WalletProcess process : pool.processes()) {
            if (process.health() != ProcessHealth.HEALTHY) {
                continue;
            }
            long running = process.currentCallNanos();
            if (running > config.pool().hungAfter().toNanos()) {
                pool.killHung(process, "hung: " + process.currentCallMethod() + " running for " + running / 1_000_000_000 + " s");
                continue;
            }
            if (!process.callLock().tryLock()) {
                continue;
            }
            try {
                rpc.call(process.endpoint(), "get_version", Map.of(), config.rpc().probeTimeout());
                process.probeSucceeded();
            } catch (RuntimeException e) {
                if (process.probeFailed() >= config.pool().healthFailures() && process.alive()) {
                    pool.killHung(process, "failed " + config.pool().healthFailures() + " health probes: " + e.getMessage());
                }
            } finally {
                process.callLock().unlock();
            }
        }
    }
}
