package dev.escrowstack.escrow.funds;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Singleton;

import dev.escrowstack.escrow.persistence.Escrow;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.scheduler.ScheduledExecution;

/**
 * Notices funds without anyone asking: every watch interval, the READY escrows whose next check is due
 * are checked, a few at a time (each check leases a wallet and syncs it), through the same
 * {@link FundingCheck} as GET /funding. Does nothing unless the funds path is enabled.
 */
@ApplicationScoped
public class FundingWatcher {

    private final FundingCheck check;
    private final FundingStore store;
    private final FundsConfig config;
    private final ExecutorService workers;

    public FundingWatcher(FundingCheck check, FundingStore store, FundsConfig config) {
        this.check = check;
        this.store = store;
        this.config = config;
        this.workers = Executors.newFixedThreadPool(Math.max(1, this.config.watchConcurrency()), r -> {
            Thread t = new Thread(r, "funding-watcher");
            t.setDaemon(true);
            return t;
        });
    }

    @Scheduled(every = "${escrow.funds.watch-interval:10s}", delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Disabled.class)
    void watch() {
        Instant now = Instant.now();
        List<Escrow> due = store.due(now, config.watchConcurrency() * 8);
        List<Future<?>> running = due.stream().filter(e -> store.claim(e, now, check.backoff(e)))
                .<Future<?>>map(e -> workers.submit(() -> checkQuietly(e))).toList();
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (Exception e) {
                Log.debugf("funding check ended with %s", e.toString());
            }
        }
    }

    private void checkQuietly(Escrow escrow) {
        try {
            check.check(escrow);
        } catch (RuntimeException e) { // the gateway busy or unreachable: the claim already pushed the next check out
            Log.infof("funding check of escrow %s did not complete: %s", escrow.id, e.getMessage());
        }
    }

    @PreDestroy
    void stop() {
        workers.shutdownNow();
    }

    /** Skips the watcher (and the payout recovery) when the wallets run offline. */
    @Singleton
    public static class Disabled implements Scheduled.SkipPredicate {

        private final boolean enabled;

        public Disabled(FundsConfig config) {
            this.enabled = config.enabled();
        }

        @Override
        public boolean test(ScheduledExecution execution) {
            return !enabled;
        }
    }
}
