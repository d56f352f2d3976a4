package dev.escrowstack.gateway.lease;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

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
 * a warm spare skips that entirely. One wallet at a time, only while no lease request waits, and while
 * leases are active only up to {@code min-spares-while-busy}.
 */
@ApplicationScoped
public class SpareKeeper {

    private final ProcessPool pool;
    private final LeaseManager leases;
    private final ProcessWallets wallets;
    private final WalletStore store;
    private final GatewayConfig config;

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
        // Busy: keep only a minimum warm, and leave the CPU to the setups in flight.
        int target = leases.active().isEmpty() ? config.wallets().spares()
                : Math.min(config.wallets().spares(), config.wallets().minSparesWhileBusy());
        try {
            while (leases.openSpares() < target) {
                List<String> closed = store.closedSpares();
                if (leases.openSpares() + closed.size() >= target && closed.isEmpty()) {
                    return;
                }
                Optional<WalletProcess> reserved = leases.reserveForMaintenance();
                if (reserved.isEmpty()) {
                    return;
                }
                WalletProcess process = reserved.get();
                try {
                    RpcCallContext context = RpcCallContext.maintenance(process.index(), null);
                    if (!closed.isEmpty()) {
                        openSpare(process, context, closed.get(0));
                    } else if (leases.openSpares() + closed.size() < target) {
                        String id = wallets.create(process, context, true);
                        Log.debugf("spare wallet %s ready in %s", id, process);
                    } else {
                        return;
                    }
                } finally {
                    leases.endMaintenance(process);
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("spare refill failed: %s", e.getMessage());
        }
    }

    private void openSpare(WalletProcess process, RpcCallContext context, String id) throws IOException {
        try {
            wallets.open(process, context, id, true);
        } catch (WalletPasswordMismatch e) {
            Log.warnf("spare wallet %s set aside in %s: %s", id, store.setAsideSpare(id), e.getMessage());
        }
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
