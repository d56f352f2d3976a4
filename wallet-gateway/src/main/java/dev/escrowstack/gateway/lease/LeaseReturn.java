package dev.escrowstack.gateway.lease;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.wallet.ProcessWallets;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;

/**
 * Gives back the wallets of a lease that ends, all at once, each after the call in flight on it (every
 * step takes the process's call lock). A released wallet is stored and parked (left open) so the next
 * lease of it skips open_wallet's 2–5 s; an expired lease's holder is presumed gone, so its wallets are
 * stored and closed. Nothing here fails: a wallet that cannot be stored is closed, and one that cannot
 * be closed still goes home.
 */
@ApplicationScoped
public class LeaseReturn {

    private final ProcessWallets wallets;
    /** Wraps tasks in the submitter's trace context, so the store and close calls are children of the end span. */
    private final ExecutorService workers = Context.taskWrapping(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lease-return");
        t.setDaemon(true);
        return t;
    }));

    public LeaseReturn(ProcessWallets wallets) {
        this.wallets = wallets;
    }

    /** Parks the wallets of a released lease, closes those of any other; returns when all are done. */
    void returnAll(Lease lease, LeaseState state) {
        List<CompletableFuture<Void>> returning = lease.wallets().values().stream()
                .map(w -> CompletableFuture.runAsync(() -> {
                    if (state == LeaseState.RELEASED) {
                        park(w, lease.id(), lease.holder());
                    } else {
                        close(w, lease.id(), lease.holder());
                    }
                }, workers))
                .toList();
        CompletableFuture.allOf(returning.toArray(CompletableFuture[]::new)).join();
    }

    void close(LeasedWallet wallet, String leaseId, String holder) {
        try {
            wallets.close(wallet.process(), context(wallet, leaseId, holder));
        } catch (RuntimeException e) {
            // The files must still go home: a wallet left in a process directory is found again at the next start.
            Log.errorf("closing wallet %s of lease %s failed: %s", wallet.walletId(), leaseId, e.getMessage());
            if (!wallet.process().alive()) {
                wallets.forget(wallet.process());
            }
        }
    }

    private void park(LeasedWallet wallet, String leaseId, String holder) {
        try {
            wallets.park(wallet.process(), context(wallet, leaseId, holder));
        } catch (RuntimeException e) {
            Log.warnf("storing wallet %s of lease %s failed (%s); closing it instead", wallet.walletId(), leaseId, e.getMessage());
            close(wallet, leaseId, holder);
        }
    }

    private static RpcCallContext context(LeasedWallet wallet, String leaseId, String holder) {
        return new RpcCallContext(holder, wallet.role().name(), leaseId, wallet.walletId(), wallet.process().index());
    }

    @PreDestroy
    void shutdown() {
        workers.shutdown();
    }
}
