package dev.escrowstack.gateway.metrics;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.process.ProcessPool;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.lease.SpareKeeper;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Pool gauges for Prometheus. Lease wait time and per-method RPC latency are timers registered where
 * they are measured (LeaseManager, TracedWalletRpc).
 */
@ApplicationScoped
public class PoolMetrics {

    void register(@Observes StartupEvent event, MeterRegistry registry, ProcessPool pool, LeaseManager leases,
            SpareKeeper spares) {
        Gauge.builder("gateway_processes", pool, p -> p.processes().size()).tag("state", "total")
                .description("wallet-rpc processes").register(registry);
        Gauge.builder("gateway_processes", pool, ProcessPool::healthyCount).tag("state", "healthy").register(registry);
        Gauge.builder("gateway_processes", leases, LeaseManager::busyProcesses).tag("state", "busy").register(registry);
        Gauge.builder("gateway_spare_wallets", spares, SpareKeeper::spares)
                .description("Fresh wallets ready for new leases").register(registry);
        Gauge.builder("gateway_leases_active", leases, l -> l.active().size()).register(registry);
        Gauge.builder("gateway_lease_waiters", leases, LeaseManager::waiting)
                .description("Lease requests waiting for free processes").register(registry);
        FunctionCounter.builder("gateway_process_restarts", pool,
                p -> p.processes().stream().mapToInt(WalletProcess::restarts).sum())
                .description("Restarts of crashed or hung wallet-rpc processes").register(registry);
    }
}
