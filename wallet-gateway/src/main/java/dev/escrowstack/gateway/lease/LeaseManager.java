package dev.escrowstack.gateway.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.ProcessPool;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.scheduler.Scheduled;

/**
 * The front of the lease core, where its parts meet (HikariCP's {@code HikariPool}): the registry
 * decides under its guard, the {@link GrantOpener} and {@link LeaseReturn} move wallets outside it,
 * {@link LeaseTelemetry} shows it. This class keeps no lease state and makes no wallet call; its one
 * job is to carry every grant the registry makes to the opener, and every outcome back.
 */
@ApplicationScoped
public class LeaseManager {

    private final LeaseRegistry registry;
    private final GrantOpener opener;
    private final LeaseReturn returns;
    private final LeaseTelemetry telemetry;
    private final ProcessPool pool;
    private final GatewayConfig config;
    /** Ends waits that run out; each takes the registry's guard only for a moment. */
    private final ScheduledExecutorService waits = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-wait-timer");
        t.setDaemon(true);
        return t;
    });

    public LeaseManager(LeaseRegistry registry, GrantOpener opener, LeaseReturn returns, LeaseTelemetry telemetry,
            ProcessPool pool, GatewayConfig config) {
        this.registry = registry;
        this.opener = opener;
        this.returns = returns;
        this.telemetry = telemetry;
        this.pool = pool;
        this.config = config;
    }

    /** Queues a validated request; the future completes with the lease, or a problem (503 when the wait runs out). */
    public CompletableFuture<Lease> acquire(LeaseRequest request) {
        Span span = telemetry.acquireStarted(request);
        Waiter waiter = new Waiter(request, Context.current().with(span));
        open(registry.enqueue(waiter));
        ScheduledFuture<?> timeout = waits.schedule(() -> timeOut(waiter), request.maxWait().toMillis(), TimeUnit.MILLISECONDS);
        return waiter.result.whenComplete((lease, error) -> {
            timeout.cancel(false);
            telemetry.acquireEnded(span, waiter.waitedMillis(), lease, error);
        });
    }

    /**
     * Offers the queue the processes that became healthy since (the pool's start, a restart after a crash):
     * no lease event announces that capacity, and a request queued while they were down would otherwise
     * wait until its own wait ran out — after a gateway restart, with no spare made either, as the spare
     * keeper leaves the processes to waiting requests.
     */
    @Scheduled(every = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP, skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void dispatchWaiting() {
        open(registry.dispatchWaiting());
    }

    private void timeOut(Waiter waiter) {
        registry.withdraw(waiter).ifPresent(left -> {
            open(left.grants());
            waiter.result.completeExceptionally(
                    LeaseProblems.poolBusy(waiter.request.maxWait(), config.leases().retryAfter(), left.stillWaiting()));
        });
    }

    /** Opens each grant's wallets (in the acquire span's context) and tells the registry how it went. */
    private void open(List<Grant> grants) {
        for (Grant grant : grants) {
            opener.open(grant).whenComplete(grant.waiter().context.wrapConsumer((wallets, failure) -> {
                if (failure == null) {
                    activate(grant, wallets);
                } else {
                    open(registry.abandon(grant));
                    grant.waiter().result.completeExceptionally(
                            failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure);
                }
            }));
        }
    }

    private void activate(Grant grant, Map<Role, LeasedWallet> wallets) {
        Waiter waiter = grant.waiter();
        Instant now = Instant.now();
        Lease lease = new Lease(grant.leaseId(), waiter.request.holder(), grant.token(), wallets, now,
                now.plus(waiter.request.ttl()), waiter.waitedMillis());
        registry.activate(lease);
        telemetry.granted(lease);
        if (!waiter.result.complete(lease) && registry.beginEnd(lease)) {
            end(lease, LeaseState.RELEASED); // nobody is waiting for it any more
        }
    }

    public Lease check(String leaseId, Long token) {
        return registry.check(leaseId, token);
    }

    public Optional<Lease> find(String leaseId) {
        return registry.find(leaseId);
    }

    public Collection<Lease> active() {
        return registry.active();
    }

    /** See {@link LeaseRegistry#stillHolds}. */
    public boolean stillHolds(Lease lease, LeasedWallet wallet) {
        return registry.stillHolds(lease, wallet);
    }

    public Lease renew(String leaseId, Long token, Duration ttl) {
        return registry.renew(leaseId, token, ttl);
    }

    public void release(String leaseId, Long token) {
        end(registry.beginRelease(leaseId, token), LeaseState.RELEASED);
    }

    /** For the expiry job; nothing happens when the lease is ending already. */
    void expire(Lease lease) {
        if (registry.beginEnd(lease)) {
            end(lease, LeaseState.EXPIRED);
        }
    }

    /** An ENDING lease: its wallets go back (waiting for in-flight calls), then its processes are free. */
    private void end(Lease lease, LeaseState state) {
        Span span = telemetry.endStarted(lease, state);
        try (Scope ignored = span.makeCurrent()) {
            returns.returnAll(lease, state);
            open(registry.finish(lease, state));
        } finally {
            span.end();
        }
    }

    /** For the spare keeper: see {@link SlotBook#reserveForMaintenance(boolean)}. */
    public Optional<WalletProcess> reserveForMaintenance(boolean spareMissing) {
        OptionalInt index = registry.reserveForMaintenance(spareMissing);
        return index.isPresent() ? Optional.of(pool.processes().get(index.getAsInt())) : Optional.empty();
    }

    public void endMaintenance(WalletProcess process) {
        open(registry.endMaintenance(process.index()));
    }

    /** Spares open in processes that no lease holds. */
    public long openSpares() {
        return registry.openSpares();
    }

    public int waiting() {
        return registry.waiting();
    }

    public long busyProcesses() {
        return registry.busyProcesses();
    }

    /** Which lease (if any) a process serves; for the process listing. */
    public Optional<String> leaseOf(WalletProcess process) {
        return registry.leaseOf(process.index());
    }

    @PreDestroy
    void shutdown() {
        waits.shutdownNow();
    }
}
