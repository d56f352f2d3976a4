package dev.escrowstack.gateway.lease;

import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Ends leases whose TTL has run out (HikariCP's {@code HouseKeeper}): a sweep every 0.5 s, finer than
 * quarkus-scheduler's one-second trigger check, and each end on a thread of its own, since storing and
 * closing a lease's wallets takes seconds that must not hold up the sweep or the other leases.
 */
@ApplicationScoped
public class LeaseExpiry {

    private static final long SWEEP_MILLIS = 500;

    private final LeaseRegistry registry;
    private final LeaseManager leases;
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "lease-expiry"));
    private final ExecutorService enders = Executors.newCachedThreadPool(r -> daemon(r, "lease-expire"));

    public LeaseExpiry(LeaseRegistry registry, LeaseManager leases) {
        this.registry = registry;
        this.leases = leases;
    }

    void start(@Observes StartupEvent event) {
        sweeper.scheduleWithFixedDelay(this::sweep, SWEEP_MILLIS, SWEEP_MILLIS, TimeUnit.MILLISECONDS);
    }

    void sweep() {
        try {
            for (Lease lease : registry.due(Instant.now())) {
                Log.infof("lease %s of %s expired; reclaiming its wallets", lease.id(), lease.holder());
                enders.execute(() -> leases.expire(lease));
            }
        } catch (RuntimeException e) {
            Log.error("lease expiry sweep failed", e);
        }
    }

    @PreDestroy
    void stop() {
        sweeper.shutdownNow();
        enders.shutdown();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
