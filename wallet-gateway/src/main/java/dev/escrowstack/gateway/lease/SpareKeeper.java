package dev.escrowstack.gateway.lease;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.ProcessPool;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.wallet.ProcessWallets;
import dev.escrowstack.gateway.wallet.WalletPasswordMismatch;
import dev.escrowstack.gateway.wallet.WalletStore;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Keeps {@code gateway.wallets.spares} fresh wallets open in idle processes. Opening or creating a
 * wallet costs monero-wallet-rpc 2–5 s (it generates an RSA key each time), so a lease that adopts
 * a warm spare skips that entirely. Only while no lease request waits; while leases are active one wallet
 * at a time and only up to {@code min-spares-while-busy}, idle up to {@code refill-parallelism} at once.
 */
@ApplicationScoped
public class SpareKeeper {

    private final ProcessPool pool;
    private final LeaseManager leases;
    private final ProcessWallets wallets;
    private final WalletStore store;
    private final GatewayConfig config;
    /** Where the spares of one refill are made side by side; the scheduler's thread waits for them. */
    private final ExecutorService workers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "spare-keeper");
        t.setDaemon(true);
        return t;
    });

    public SpareKeeper(ProcessPool pool, LeaseManager leases, ProcessWallets wallets, WalletStore store, GatewayConfig config) {
        this.pool = pool;
        this.leases = leases;
        this.wallets = wallets;
        this.store = store;
        this.config = config;
    }

    @Scheduled(every = "${gateway.wallets.refill-interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void refill() {
        if (!pool.started()) {
            return;
        }
        try {
            while (true) {
                // Busy: keep only a minimum warm, one at a time, and leave the CPU to the setups in flight.
                boolean idle = leases.active().isEmpty();
                int target = idle ? config.wallets().spares() : Math.min(config.wallets().spares(), config.wallets().minSparesWhileBusy());
                long open = leases.openSpares();
                int width = (int) Math.min(target - open, idle ? Math.max(1, config.wallets().refillParallelism()) : 1);
                if (width <= 0) {
                    return;
                }
                List<String> closed = store.closedSpares();
                // A wallet kept parked (a lease named it) is closed only to make a missing spare, not to move a
                // stored one into a process: the stored one still counts, the kept one is wanted again soon.
                boolean spareMissing = open + closed.size() < target;
                List<WalletProcess> reserved = new ArrayList<>();
                for (Optional<WalletProcess> p; reserved.size() < width && (p = leases.reserveForMaintenance(spareMissing)).isPresent(); ) {
                    reserved.add(p.get());
                }
                if (reserved.isEmpty()) {
                    return;
                }
                if (!fill(reserved, closed)) {
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("spare refill failed: %s", e.getMessage());
        }
    }

    /**
     * One spare in each reserved process, side by side: the store's closed spares are opened first, the rest
     * created. Every reservation ends here. False if any of them failed (the next tick tries again).
     */
    private boolean fill(List<WalletProcess> reserved, List<String> closed) {
        List<CompletableFuture<Void>> jobs = new ArrayList<>();
        for (int i = 0; i < reserved.size(); i++) {
            WalletProcess process = reserved.get(i);
            String spare = i < closed.size() ? closed.get(i) : null;
            jobs.add(CompletableFuture.runAsync(() -> {
                try {
                    RpcCallContext context = RpcCallContext.maintenance(process.index(), null);
                    if (spare != null) {
                        openSpare(process, context, spare);
                    } else {
                        String id = wallets.create(process, context, true);
                        Log.debugf("spare wallet %s ready in %s", id, process);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } finally {
                    leases.endMaintenance(process);
                }
            }, workers));
        }
        boolean filled = true;
        for (CompletableFuture<Void> job : jobs) {
            try {
                job.join();
            } catch (CompletionException e) {
                Log.warnf("spare refill failed: %s", e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
                filled = false;
            }
        }
        return filled;
    }

    private void openSpare(WalletProcess process, RpcCallContext context, String id) throws IOException {
        try {
            wallets.open(process, context, id, true);
        } catch (WalletPasswordMismatch e) {
            Log.warnf("spare wallet %s set aside in %s: %s", id, store.setAsideSpare(id), e.getMessage());
        }
    }

    @PreDestroy
    void shutdown() {
        workers.shutdownNow();
    }

    /** Spares in the store plus spares open in idle processes. */
    public long spares() {
        try {
            return leases.openSpares() + store.closedSpares().size();
        } catch (IOException e) {
            return leases.openSpares();
        }
    }
}
