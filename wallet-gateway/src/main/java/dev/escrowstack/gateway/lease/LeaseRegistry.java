package dev.escrowstack.gateway.lease;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.ProcessPool;

/**
 * Active and recently ended leases, and the {@link SlotBook}: the one guard of the lease core.
 * <p>
 * Concurrency, the whole story: everything mutable here — the slot book (process states, wallets held,
 * the queue), the active and ended leases, and each lease's {@link Lease.Status} — is read and written
 * only while holding {@code guard}, and each method holds it for its whole decision (a fencing check
 * and the renewal it permits, an end and the grants it lets through). What leaves the guard is
 * immutable: copied lists, grants to open, a lease's current Status. Nothing slow runs under it — no
 * wallet RPC, no waiting — except the fencing ledger's one-line appends, so that GRANT and END lines
 * are in the order the slots changed. Opening and storing wallets (seconds each) happens outside, while
 * the processes are GRANTING or the lease is ENDING, so nobody else can take them meanwhile.
 */
@ApplicationScoped
public class LeaseRegistry {

    /** Enough to answer 410 instead of 404 for recent leases. */
    private static final int ENDED_KEPT = 10_000;

    /** What a wait that ran out leaves behind. */
    record Withdrawn(int stillWaiting, List<Grant> grants) {
    }

    private final ReentrantLock guard = new ReentrantLock();
    private final SlotBook book;
    private final FencingLedger ledger;
    private final Map<String, Lease> active = new HashMap<>();
    private final Map<String, Lease> ended = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Lease> eldest) {
            return size() > ENDED_KEPT;
        }
    };

    @Inject
    public LeaseRegistry(ProcessPool pool, FencingLedger ledger, GatewayConfig config) {
        this(new SlotBook(() -> pool.processes().stream().map(ProcessView::of).toList(), ledger::nextToken, System::nanoTime,
                config.wallets().keepNamedParked().toNanos()), ledger);
    }

    LeaseRegistry(Supplier<List<ProcessView>> processes, FencingLedger ledger) {
        this(new SlotBook(processes, ledger::nextToken), ledger);
    }

    private LeaseRegistry(SlotBook book, FencingLedger ledger) {
        this.book = book;
        this.ledger = ledger;
    }

    List<Grant> enqueue(Waiter waiter) {
        return guarded(() -> book.enqueue(waiter));
    }

    /** Grants whatever fits now: for capacity no lease event announced (a process that became healthy). */
    List<Grant> dispatchWaiting() {
        return guarded(() -> book.waiting() == 0 ? List.<Grant>of() : book.dispatch());
    }

    /** Empty when the waiter was granted before its wait ran out. */
    Optional<Withdrawn> withdraw(Waiter waiter) {
        return guarded(() -> {
            if (!book.withdraw(waiter)) {
                return Optional.empty();
            }
            int stillWaiting = book.waiting();
            return Optional.of(new Withdrawn(stillWaiting, book.dispatch()));
        });
    }

    /** The grant's wallets are open: its lease is active, logged as granted, and its processes LEASED. */
    void activate(Lease lease) {
        guarded(() -> {
            book.leased(lease.id(), lease.wallets().values().stream()
                    .collect(Collectors.toMap(w -> w.process().index(), LeasedWallet::walletId)));
            active.put(lease.id(), lease);
            ledger.granted(lease);
            return null;
        });
    }

    /** Opening the grant's wallets failed (those opened are closed again): its processes are free. */
    List<Grant> abandon(Grant grant) {
        return guarded(() -> book.free(grant.leaseId()));
    }

    /** The lease a call names, checked against its fencing token. */
    Lease check(String leaseId, Long token) {
        return guarded(() -> checked(leaseId, token));
    }

    Lease renew(String leaseId, Long token, Duration ttl) {
        return guarded(() -> {
            Lease lease = checked(leaseId, token);
            lease.expiresAt(Instant.now().plus(ttl));
            return lease;
        });
    }

    /** A release: the lease, checked against its token, is ENDING from now on, so every call is refused. */
    Lease beginRelease(String leaseId, Long token) {
        return guarded(() -> {
            Lease lease = checked(leaseId, token);
            lease.state(LeaseState.ENDING);
            return lease;
        });
    }

    /** An expiry (or a grant nobody waits for): false when the lease is ending already. */
    boolean beginEnd(Lease lease) {
        return guarded(() -> {
            if (lease.state() != LeaseState.ACTIVE) {
                return false;
            }
            lease.state(LeaseState.ENDING);
            return true;
        });
    }

    /** The lease's wallets are back: it has ended ({@code state}), is logged so, and its processes are free. */
    List<Grant> finish(Lease lease, LeaseState state) {
        return guarded(() -> {
            lease.state(state);
            active.remove(lease.id());
            ended.put(lease.id(), lease);
            ledger.ended(lease);
            return book.free(lease.id());
        });
    }

    /** Active leases whose expiry has passed. */
    List<Lease> due(Instant now) {
        return guarded(() -> active.values().stream()
                .filter(l -> l.state() == LeaseState.ACTIVE && l.expiresAt().isBefore(now)).toList());
    }

    Optional<Lease> find(String leaseId) {
        return guarded(() -> Optional.ofNullable(active.getOrDefault(leaseId, ended.get(leaseId))));
    }

    List<Lease> active() {
        return guarded(() -> List.copyOf(active.values()));
    }

    /**
     * True while the process still serves this lease. Checked by a call after it has taken the
     * process's call lock, so a release or expiry that got there first is never overtaken.
     */
    boolean stillHolds(Lease lease, LeasedWallet wallet) {
        return guarded(() -> lease.state() == LeaseState.ACTIVE
                && book.leaseOn(wallet.process().index()).filter(lease.id()::equals).isPresent());
    }

    /** The active lease a process serves; not a grant in progress, which has no lease yet. */
    Optional<Lease> leaseServedBy(int processIndex) {
        return guarded(() -> book.leaseOn(processIndex).map(active::get));
    }

    /** Which lease (or grant in progress) a process serves. */
    Optional<String> leaseOf(int processIndex) {
        return guarded(() -> book.leaseOn(processIndex));
    }

    /** True when a lease holds the wallet or it is parked in a process. */
    boolean knows(String walletId) {
        return guarded(() -> book.knows(walletId));
    }

    OptionalInt reserveForMaintenance(boolean spareMissing) {
        return guarded(() -> book.reserveForMaintenance(spareMissing));
    }

    List<Grant> endMaintenance(int processIndex) {
        return guarded(() -> book.endMaintenance(processIndex));
    }

    int waiting() {
        return guarded(book::waiting);
    }

    long busyProcesses() {
        return guarded(book::busy);
    }

    long openSpares() {
        return guarded(book::openSpares);
    }

    private Lease checked(String leaseId, Long token) {
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

    private <T> T guarded(Supplier<T> decision) {
        guard.lock();
        try {
            return decision.get();
        } finally {
            guard.unlock();
        }
    }
}
