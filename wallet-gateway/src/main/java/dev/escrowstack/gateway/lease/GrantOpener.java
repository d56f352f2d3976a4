package dev.escrowstack.gateway.lease;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.lease.Grant.Placement;
import dev.escrowstack.gateway.process.ProcessPool;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.wallet.ProcessWallets;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.context.Context;
import io.quarkus.logging.Log;

/**
 * Opens the wallets of a grant, in parallel, since each open or create costs its process 2–5 s: an
 * existing wallet from the store (or nothing at all where it is still parked), a new wallet as the
 * spare already open there or, without one, created. All or nothing: when one fails, those already
 * opened are closed again. It holds no lease state; the caller tells the registry how it went.
 */
@ApplicationScoped
public class GrantOpener {

    private final ProcessPool pool;
    private final ProcessWallets wallets;
    private final LeaseReturn returns;
    /** Wraps tasks in the submitter's trace context, so wallet calls stay children of the lease span. */
    private final ExecutorService workers = Context.taskWrapping(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lease-opener");
        t.setDaemon(true);
        return t;
    }));

    public GrantOpener(ProcessPool pool, ProcessWallets wallets, LeaseReturn returns) {
        this.pool = pool;
        this.wallets = wallets;
        this.returns = returns;
    }

    /** Every role's wallet, open in its process; or a lease-setup-failed problem, with none left open. */
    CompletableFuture<Map<Role, LeasedWallet>> open(Grant grant) {
        return CompletableFuture.supplyAsync(grant.waiter().context.wrapSupplier(() -> openAll(grant)), workers);
    }

    private Map<Role, LeasedWallet> openAll(Grant grant) {
        Map<Role, CompletableFuture<LeasedWallet>> opening = new EnumMap<>(Role.class);
        grant.placements().forEach((role, placement) -> opening.put(role,
                CompletableFuture.supplyAsync(() -> openOne(grant, placement), workers)));
        CompletableFuture.allOf(opening.values().toArray(CompletableFuture[]::new)).handle((ok, error) -> null).join();

        Map<Role, LeasedWallet> opened = new EnumMap<>(Role.class);
        Role failedRole = null;
        Throwable failure = null;
        for (Map.Entry<Role, CompletableFuture<LeasedWallet>> e : opening.entrySet()) {
            try {
                opened.put(e.getKey(), e.getValue().join());
            } catch (RuntimeException ex) {
                failedRole = e.getKey();
                failure = ex.getCause() != null ? ex.getCause() : ex;
            }
        }
        if (failure == null) {
            return opened;
        }
        String holder = grant.waiter().request.holder();
        Log.warnf("lease for %s failed while opening the %s wallet: %s", holder, failedRole, failure.getMessage());
        for (LeasedWallet w : opened.values()) {
            returns.close(w, grant.leaseId(), holder);
        }
        throw LeaseProblems.grantFailed(failedRole, failure.getMessage());
    }

    private LeasedWallet openOne(Grant grant, Placement placement) {
        WalletProcess process = pool.processes().get(placement.process());
        RpcCallContext context = new RpcCallContext(grant.waiter().request.holder(), placement.role().name(), grant.leaseId(),
                placement.walletId().orElse(null), process.index());
        if (placement.walletId().isPresent()) {
            String id = placement.walletId().get();
            boolean parkedHere = process.openWallet().map(w -> !w.spare() && w.walletId().equals(id)).orElse(false);
            if (!parkedHere) {
                wallets.open(process, context, id, false);
            }
            return new LeasedWallet(placement.role(), id, process, false);
        }
        String id = wallets.adoptSpare(process).orElseGet(() -> wallets.create(process, context, false));
        return new LeasedWallet(placement.role(), id, process, true);
    }

    @PreDestroy
    void shutdown() {
        workers.shutdown();
    }
}
