package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.gateway.process.ProcessPool;
import dev.escrowstack.gateway.process.ProcessRestarted;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.wallet.ProcessWallets;
import dev.escrowstack.gateway.wallet.WalletStore;
import dev.escrowstack.telemetry.SpanNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * Grants and ends leases. Invariants, all kept under one lock: a process serves at most one lease,
 * a wallet is in at most one lease, and a request gets all its wallets at once or none, so two
 * escrows can never deadlock holding halves of a set. Waiters are served first come, first served:
 * a request that does not fit stops everyone behind it (no starvation of large requests); only a
 * request waiting for a wallet another lease holds is stepped over, since it needs no capacity.
 */
@ApplicationScoped
public class LeaseManager {

    private static final String MAINTENANCE = "maintenance";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final ProcessPool pool;
    private final ProcessWallets wallets;
    private final WalletStore store;
    private final FencingLedger ledger;
    private final Tracer tracer;
    private final GatewayConfig config;
    private final Timer waitTimer;

    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Waiter> queue = new ArrayDeque<>();
    /** process index → id of the lease (or grant in progress) using it, or {@link #MAINTENANCE}. */
    private final Map<Integer, String> assigned = new ConcurrentHashMap<>();
    private final Set<String> walletsHeld = new HashSet<>();
    private final Map<String, Lease> active = new ConcurrentHashMap<>();
    private final Map<String, Lease> ended = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lease> eldest) {
            return size() > 10_000; // enough to answer 410 instead of 404 for recent leases
        }
    });
    /** Wraps tasks in the submitter's trace context, so wallet calls stay children of the lease span. */
    private final ExecutorService workers = Context.taskWrapping(Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "lease-worker");
        t.setDaemon(true);
        return t;
    }));
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lease-timer");
        t.setDaemon(true);
        return t;
    });

    public LeaseManager(ProcessPool pool, ProcessWallets wallets, WalletStore store, FencingLedger ledger, Tracer tracer,
            GatewayConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.wallets = wallets;
        this.store = store;
        this.ledger = ledger;
        this.tracer = tracer;
        this.config = config;
        this.waitTimer = Timer.builder("gateway_lease_wait")
                .description("Time from a lease request to its grant")
                .publishPercentileHistogram()
                .register(registry);
        timers.scheduleWithFixedDelay(this::expireDue, 500, 500, TimeUnit.MILLISECONDS);
    }

    /** Queues the request; the future completes with the lease, or a problem (503 when the wait runs out). */
    public CompletableFuture<Lease> acquire(LeaseRequest request) {
        Set<String> asked = new HashSet<>();
        for (Optional<String> id : request.wallets().values()) {
            if (id.isPresent()) {
                if (!asked.add(id.get())) {
                    throw dev.escrowstack.problem.ProblemException
                            .badRequest("wallet '" + id.get() + "' is asked for twice in one lease");
                }
                if (!knownWallet(id.get())) {
                    throw LeaseProblems.unknownWallet(id.get());
                }
            }
        }
        Span span = tracer.spanBuilder(SpanNames.LEASE_ACQUIRE)
                .setAttribute(ESCROW_ID, request.holder())
                .setAttribute(io.opentelemetry.api.common.AttributeKey.stringArrayKey(LEASE_ROLES),
                        request.wallets().keySet().stream().map(Role::name).sorted().toList())
                .startSpan();
        Waiter waiter = new Waiter(request, span);
        lock.lock();
        try {
            queue.addLast(waiter);
            waiter.timeout = timers.schedule(() -> timeOut(waiter), request.maxWait().toMillis(), TimeUnit.MILLISECONDS);
            dispatch();
        } finally {
            lock.unlock();
        }
        return waiter.result.whenComplete((lease, error) -> {
            span.setAttribute(LEASE_WAIT_MS, waiter.waitedMillis());
            if (lease != null) {
                span.setAttribute(LEASE_ID, lease.id());
                span.setAttribute(LEASE_FENCING_TOKEN, lease.fencingToken());
                span.setAttribute(LEASE_OUTCOME, "granted");
            } else {
                span.setAttribute(LEASE_OUTCOME, error instanceof dev.escrowstack.problem.ProblemException p
                        && p.status() == 503 ? "timeout" : "failed");
                span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
            }
            span.end();
        });
    }

    private boolean knownWallet(String id) {
        if (store.existsClosed(id) || SlotPlanner.parkedIn(pool.processes(), id).isPresent()) {
            return true;
        }
        lock.lock();
        try {
            return walletsHeld.contains(id);
        } finally {
            lock.unlock();
        }
    }

    /** Grants every waiter that fits, in arrival order. Caller holds the lock. */
    private void dispatch() {
        Iterator<Waiter> it = queue.iterator();
        while (it.hasNext()) {
            Waiter waiter = it.next();
            SlotPlanner.Plan plan = SlotPlanner.plan(waiter.request, pool.processes(), assigned.keySet(), walletsHeld);
            if (plan instanceof SlotPlanner.NoCapacity) {
                break;
            }
            if (!(plan instanceof SlotPlanner.Granted granted)) {
                continue;
            }
            it.remove();
            waiter.timeout.cancel(false);
            String leaseId = "l-" + hex(8);
            long token = ledger.nextToken();
            for (Waiter.Slot slot : granted.slots().values()) {
                assigned.put(slot.process().index(), leaseId);
                slot.walletId().ifPresent(walletsHeld::add);
            }
            Waiter.Grant grant = new Waiter.Grant(waiter, leaseId, token, granted.slots());
            workers.execute(waiter.context.wrap(() -> prepare(grant)));
        }
    }

    /** Opens or creates the wallets of a grant (outside the lock, in parallel) and activates the lease. */
    private void prepare(Waiter.Grant grant) {
        LeaseRequest request = grant.waiter().request;
        Map<Role, CompletableFuture<LeasedWallet>> opening = new EnumMap<>(Role.class);
        grant.slots().forEach((role, slot) -> opening.put(role, CompletableFuture.supplyAsync(() -> {
            WalletProcess process = slot.process();
            RpcCallContext context = new RpcCallContext(request.holder(), role.name(), grant.leaseId(),
                    slot.walletId().orElse(null), process.index());
            if (slot.walletId().isPresent()) {
                String id = slot.walletId().get();
                boolean parkedHere = process.openWallet().map(w -> !w.spare() && w.walletId().equals(id)).orElse(false);
                if (!parkedHere) {
                    wallets.open(process, context, id, false);
                }
                return new LeasedWallet(role, id, process, false);
            }
            String id = wallets.adoptSpare(process).orElseGet(() -> wallets.create(process, context, false));
            return new LeasedWallet(role, id, process, true);
        }, workers)));
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
        if (failure != null) {
            Log.warnf("lease for %s failed while opening the %s wallet: %s", request.holder(), failedRole, failure.getMessage());
            for (LeasedWallet w : opened.values()) {
                closeQuietly(w, grant.leaseId(), request.holder());
            }
            lock.lock();
            try {
                grant.slots().values().forEach(s -> {
                    assigned.remove(s.process().index());
                    s.walletId().ifPresent(walletsHeld::remove);
                });
                dispatch();
            } finally {
                lock.unlock();
            }
            grant.waiter().result.completeExceptionally(LeaseProblems.grantFailed(failedRole, failure.getMessage()));
            return;
        }
        Instant now = Instant.now();
        Lease lease = new Lease(grant.leaseId(), request.holder(), grant.token(), opened, now, now.plus(request.ttl()),
                grant.waiter().waitedMillis());
        lock.lock();
        try {
            opened.values().forEach(w -> walletsHeld.add(w.walletId()));
            active.put(lease.id(), lease);
            ledger.granted(lease);
        } finally {
            lock.unlock();
        }
        waitTimer.record(Duration.ofMillis(lease.waitedMillis()));
        if (!grant.waiter().result.complete(lease)) {
            release(lease, LeaseState.RELEASED); // nobody is waiting for it any more
        }
    }

    private void timeOut(Waiter waiter) {
        lock.lock();
        int queued;
        try {
            if (!queue.remove(waiter)) {
                return;
            }
            queued = queue.size();
            dispatch();
        } finally {
            lock.unlock();
        }
        waiter.result.completeExceptionally(
                LeaseProblems.poolBusy(waiter.request.maxWait(), config.leases().retryAfter(), queued));
    }

    /** The lease a call names, checked against its fencing token. */
    public Lease check(String leaseId, Long token) {
        Lease lease = active.get(leaseId);
        if (lease == null) {
            Lease gone = ended.get(leaseId);
            throw gone != null ? LeaseProblems.ended(gone) : LeaseProblems.notFound(leaseId);
        }
        if (token == null) {
            throw LeaseProblems.missingToken();
        }
        if (token != lease.fencingToken()) {
            throw LeaseProblems.staleToken(lease, token);
        }
        if (lease.state() != LeaseState.ACTIVE || lease.expiresAt().isBefore(Instant.now())) {
            throw LeaseProblems.ended(lease);
        }
        return lease;
    }

    public Optional<Lease> find(String leaseId) {
        Lease lease = active.get(leaseId);
        return Optional.ofNullable(lease != null ? lease : ended.get(leaseId));
    }

    public Collection<Lease> active() {
        return active.values();
    }

    /**
     * True while the process still serves this lease. Checked by a call after it has taken the
     * process's call lock, so a release or expiry that got there first is never overtaken.
     */
    public boolean stillHolds(Lease lease, LeasedWallet wallet) {
        return lease.state() == LeaseState.ACTIVE && lease.id().equals(assigned.get(wallet.process().index()));
    }

    public Lease renew(String leaseId, Long token, Duration ttl) {
        Lease lease = check(leaseId, token);
        lease.expiresAt(Instant.now().plus(ttl));
        return lease;
    }

    public void release(String leaseId, Long token) {
        Lease lease = check(leaseId, token);
        if (!begin(lease)) {
            throw LeaseProblems.ended(lease);
        }
        end(lease, LeaseState.RELEASED, SpanNames.LEASE_RELEASE);
    }

    private void release(Lease lease, LeaseState state) {
        if (begin(lease)) {
            end(lease, state, state == LeaseState.EXPIRED ? SpanNames.LEASE_EXPIRE : SpanNames.LEASE_RELEASE);
        }
    }

    private boolean begin(Lease lease) {
        lock.lock();
        try {
            if (lease.state() != LeaseState.ACTIVE) {
                return false;
            }
            lease.state(LeaseState.ENDING);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Stores and closes every wallet (waiting for in-flight calls), then frees the processes. */
    private void end(Lease lease, LeaseState state, String spanName) {
        Span span = tracer.spanBuilder(spanName)
                .setAttribute(ESCROW_ID, lease.holder())
                .setAttribute(LEASE_ID, lease.id())
                .setAttribute(LEASE_FENCING_TOKEN, lease.fencingToken())
                .startSpan();
        try (Scope ignored = span.makeCurrent()) {
            // A released wallet is stored and parked (left open) so the next lease of it skips open_wallet's
            // 2-5 s; an expired lease's holder is presumed gone, so its wallets are stored and closed.
            List<CompletableFuture<Void>> closing = lease.wallets().values().stream()
                    .map(w -> CompletableFuture.runAsync(() -> {
                        if (state == LeaseState.RELEASED) {
                            parkQuietly(w, lease.id(), lease.holder());
                        } else {
                            closeQuietly(w, lease.id(), lease.holder());
                        }
                    }, workers))
                    .toList();
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).join();
            lock.lock();
            try {
                lease.state(state);
                active.remove(lease.id());
                ended.put(lease.id(), lease);
                ledger.ended(lease);
                for (LeasedWallet w : lease.wallets().values()) {
                    assigned.remove(w.process().index());
                    walletsHeld.remove(w.walletId());
                }
                dispatch();
            } finally {
                lock.unlock();
            }
        } finally {
            span.end();
        }
    }

    private static RpcCallContext context(LeasedWallet wallet, String leaseId, String holder) {
        return new RpcCallContext(holder, wallet.role().name(), leaseId, wallet.walletId(), wallet.process().index());
    }

    private void parkQuietly(LeasedWallet wallet, String leaseId, String holder) {
        try {
            wallets.park(wallet.process(), context(wallet, leaseId, holder));
        } catch (RuntimeException e) {
            Log.warnf("storing wallet %s of lease %s failed (%s); closing it instead", wallet.walletId(), leaseId, e.getMessage());
            closeQuietly(wallet, leaseId, holder);
        }
    }

    private void closeQuietly(LeasedWallet wallet, String leaseId, String holder) {
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

    private void expireDue() {
        try {
            Instant now = Instant.now();
            for (Lease lease : active.values()) {
                if (lease.state() == LeaseState.ACTIVE && lease.expiresAt().isBefore(now)) {
                    Log.infof("lease %s of %s expired; reclaiming its wallets", lease.id(), lease.holder());
                    workers.execute(() -> release(lease, LeaseState.EXPIRED));
                }
            }
        } catch (RuntimeException e) {
            Log.error("lease expiry sweep failed", e);
        }
    }

    /** A restarted process of a lease: record the incident on the lease and in a span of its escrow. */
    void onRestart(@Observes ProcessRestarted event) {
        WalletProcess process = event.process();
        String leaseId = assigned.get(process.index());
        Lease lease = leaseId == null ? null : active.get(leaseId);
        LeasedWallet leased = lease == null ? null
                : lease.wallets().values().stream().filter(w -> w.process() == process).findFirst().orElse(null);
        String detail = "wallet-rpc#" + process.index() + " " + event.cause() + "; restarted as pid " + process.pid()
                + " on port " + process.port() + " after " + event.downtimeMillis() + " ms"
                + event.reopenError().map(e -> "; its wallet could not be reopened: " + e)
                        .orElse("; wallet reopened" + event.reopenNote().map(n -> ": " + n).orElse(""));
        Span span = tracer.spanBuilder(SpanNames.PROCESS_RESTART)
                .setAllAttributes(Attributes.builder()
                        .put(WALLET_PROCESS, (long) process.index())
                        .put(SERVER_PORT, (long) process.port())
                        .put("process.old_pid", event.oldPid())
                        .put("process.pid", process.pid())
                        .put("process.restart_cause", event.cause())
                        .build())
                .startSpan();
        if (leased != null) {
            span.setAttribute(ESCROW_ID, lease.holder());
            span.setAttribute(LEASE_ID, lease.id());
            span.setAttribute(ESCROW_ROLE, leased.role().name());
            span.setAttribute(WALLET_ID, leased.walletId());
            lease.incident(new LeaseIncident(Instant.now(), leased.role(), "process-restarted", detail));
            event.reopenError().ifPresent(e -> leased.unavailable(detail));
        } else if (event.reopenError().isPresent()) {
            wallets.forget(process);
        }
        event.reopenError().ifPresent(e -> span.setStatus(StatusCode.ERROR, e));
        span.end();
    }

    /**
     * For the spare keeper: a free, healthy process without a spare, but only while nobody waits
     * for a lease (creating a wallet costs seconds of CPU that a waiting escrow needs more).
     */
    public Optional<WalletProcess> reserveForMaintenance() {
        lock.lock();
        try {
            if (!queue.isEmpty()) {
                return Optional.empty();
            }
            // An empty process first; else one with a parked wallet (a spare matters more than a parked wallet).
            Optional<WalletProcess> found = pool.processes().stream()
                    .filter(p -> p.healthy() && !assigned.containsKey(p.index())
                            && p.openWallet().map(w -> !w.spare()).orElse(true))
                    .min(Comparator.comparing(p -> p.openWallet().isPresent()));
            found.ifPresent(p -> assigned.put(p.index(), MAINTENANCE));
            return found;
        } finally {
            lock.unlock();
        }
    }

    public void endMaintenance(WalletProcess process) {
        lock.lock();
        try {
            assigned.remove(process.index(), MAINTENANCE);
            dispatch();
        } finally {
            lock.unlock();
        }
    }

    /** Spares open in processes that no lease holds. */
    public long openSpares() {
        return pool.processes().stream()
                .filter(p -> !assigned.containsKey(p.index()) && p.openWallet().map(OpenWallet::spare).orElse(false))
                .count();
    }

    public int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    public long busyProcesses() {
        return assigned.values().stream().filter(v -> !MAINTENANCE.equals(v)).count();
    }

    /** Which lease (if any) a process serves; for the process listing. */
    public Optional<String> leaseOf(WalletProcess process) {
        String id = assigned.get(process.index());
        return MAINTENANCE.equals(id) ? Optional.empty() : Optional.ofNullable(id);
    }

    @PreDestroy
    void shutdown() {
        timers.shutdownNow();
        workers.shutdown();
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
