package dev.escrowstack.gateway.lease;

import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import dev.escrowstack.gateway.lease.Grant.Placement;

/**
 * Who holds which process, and who waits for one: HikariCP's {@code ConcurrentBag} for wallet-rpc
 * processes. Every process has a {@link SlotState}, the lease holding it and the wallet it holds there.
 * A request gets all its processes at once or none, so two escrows never deadlock holding halves of a
 * set. Requests are served first come, first served: one that does not fit stops everyone behind it
 * (no starvation of large requests); only one waiting for a wallet another lease holds is stepped
 * over, since it needs no capacity. Which process a role gets is {@link SlotPlanner}'s choice.
 * <p>
 * No I/O and no locking of its own: {@link LeaseRegistry} calls it only under its guard, and its tests
 * from one thread. Process health and open wallets are read through {@code processes}, once per decision.
 */
final class SlotBook {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Supplier<List<ProcessView>> processes;
    private final LongSupplier tokens;
    private final SlotState[] states;
    private final String[] leaseIds;
    private final String[] walletIds;
    /** When each process last served a lease, as a count of leases served: the least recently used parked wallet goes first. */
    private final long[] lastLeased;
    private long leasesServed;
    /** The lease on each process named its wallet (an existing one, leased again), rather than asking for a new one. */
    private final boolean[] named;
    /** Until when (clock nanos) a wallet a lease named stays parked, safe from the spare keeper; see {@link #free}. */
    private final long[] keptUntil;
    private final boolean[] kept;
    private final LongSupplier clock;
    private final long keepNamedNanos;
    private final Deque<Waiter> queue = new ArrayDeque<>();

    /** {@code tokens}: the fencing tokens, drawn in grant order. Released wallets may be closed for spares at once. */
    SlotBook(Supplier<List<ProcessView>> processes, LongSupplier tokens) {
        this(processes, tokens, System::nanoTime, 0);
    }

    /**
     * {@code keepNamedNanos}: how long a wallet that a lease named stays parked after its release before
     * {@link #reserveForMaintenance(boolean)} may close it to reopen a stored spare, by {@code clock} (nanos).
     */
    SlotBook(Supplier<List<ProcessView>> processes, LongSupplier tokens, LongSupplier clock, long keepNamedNanos) {
        this.processes = processes;
        this.tokens = tokens;
        this.clock = clock;
        this.keepNamedNanos = keepNamedNanos;
        int size = processes.get().size();
        this.named = new boolean[size];
        this.keptUntil = new long[size];
        this.kept = new boolean[size];
        this.states = new SlotState[size];
        this.leaseIds = new String[size];
        this.walletIds = new String[size];
        this.lastLeased = new long[size];
        Arrays.fill(states, SlotState.FREE);
    }

    /** Queues a request behind everyone already waiting, and grants whatever fits now. */
    List<Grant> enqueue(Waiter waiter) {
        queue.addLast(waiter);
        return dispatch();
    }

    /**
     * Takes a waiter whose wait ran out out of the queue; false when it was granted first. The caller
     * dispatches then: the waiter may have been the head that blocked everyone behind it.
     */
    boolean withdraw(Waiter waiter) {
        return queue.remove(waiter);
    }

    /** Grants every waiter that fits, in arrival order: its processes become GRANTING. */
    List<Grant> dispatch() {
        List<ProcessView> views = processes.get();
        long now = clock.getAsLong();
        List<Grant> grants = new ArrayList<>();
        Iterator<Waiter> it = queue.iterator();
        while (it.hasNext()) {
            Waiter waiter = it.next();
            SlotPlanner.Plan plan = SlotPlanner.plan(waiter.request, views, i -> states[i] == SlotState.FREE, this::holds,
                    p -> keptParked(p, now));
            if (plan instanceof SlotPlanner.NoCapacity) {
                break;
            }
            if (!(plan instanceof SlotPlanner.Granted granted)) {
                continue;
            }
            it.remove();
            String leaseId = "l-" + hex(8);
            for (Placement p : granted.placements().values()) {
                set(p.process(), SlotState.GRANTING, leaseId, p.walletId().orElse(null));
                named[p.process()] = p.walletId().isPresent();
                kept[p.process()] = false;
            }
            grants.add(new Grant(waiter, leaseId, tokens.getAsLong(), granted.placements()));
        }
        return grants;
    }

    /** A grant's wallets are open: its processes serve the lease, each holding the wallet it got (new ones too). */
    void leased(String leaseId, Map<Integer, String> walletByProcess) {
        walletByProcess.forEach((index, walletId) -> {
            if (states[index] != SlotState.GRANTING || !leaseId.equals(leaseIds[index])) {
                throw new IllegalStateException("process " + index + " is " + states[index] + " for " + leaseIds[index]
                        + ", not granting to " + leaseId);
            }
            set(index, SlotState.LEASED, leaseId, walletId);
            lastLeased[index] = ++leasesServed;
        });
    }

    /**
     * Frees every process {@code leaseId} holds (granting or leased), then grants whatever fits. A wallet the
     * lease named is kept parked for a while: a wallet leased by id is leased again soon (a funding check every
     * few seconds, a payout, a non-custodial round), and when the spare keeper closed it at once for a spare, each
     * of those leases cost two {@code open_wallet} (the wallet, then the displaced spare) of 2–5 s of CPU.
     */
    List<Grant> free(String leaseId) {
        long now = clock.getAsLong();
        for (int i = 0; i < states.length; i++) {
            if (leaseId.equals(leaseIds[i])) {
                set(i, SlotState.FREE, null, null);
                kept[i] = named[i] && keepNamedNanos > 0;
                keptUntil[i] = now + keepNamedNanos;
                named[i] = false;
            }
        }
        return dispatch();
    }

    /**
     * For the spare keeper: a free, healthy process without a spare, but only while nobody waits for a
     * lease (creating a wallet costs seconds of CPU that a waiting escrow needs more). An empty process
     * first; else one with a parked wallet (a spare matters more than a parked wallet), the least recently
     * leased one: a wallet just used is the likeliest to be wanted again soon (a non-custodial escrow's
     * arbiter leases its wallet once per round), and reopening it costs monero-wallet-rpc seconds. One whose
     * parked wallet a lease named, within its keep time ({@link #free}), only when {@code spareMissing}: a spare
     * must be made, not just moved out of the store, where it still counts.
     */
    OptionalInt reserveForMaintenance(boolean spareMissing) {
        if (!queue.isEmpty()) {
            return OptionalInt.empty();
        }
        long now = clock.getAsLong();
        Optional<ProcessView> found = processes.get().stream()
                .filter(p -> p.healthy() && states[p.index()] == SlotState.FREE && !p.spareOpen() && (spareMissing || !keptParked(p, now)))
                .min(Comparator.comparing((ProcessView p) -> p.openWallet().isPresent()).thenComparingLong(p -> lastLeased[p.index()]));
        found.ifPresent(p -> set(p.index(), SlotState.MAINTENANCE, null, null));
        return found.map(p -> OptionalInt.of(p.index())).orElse(OptionalInt.empty());
    }

    /** A wallet a lease named, parked here, within its keep time (see {@link #free}). */
    private boolean keptParked(ProcessView p, long now) {
        return kept[p.index()] && p.openWallet().isPresent() && !p.spareOpen() && now - keptUntil[p.index()] < 0;
    }

    /** Ends a maintenance reservation (and nothing else), then grants whatever fits. */
    List<Grant> endMaintenance(int index) {
        if (states[index] == SlotState.MAINTENANCE) {
            set(index, SlotState.FREE, null, null);
        }
        return dispatch();
    }

    SlotState state(int index) {
        return states[index];
    }

    /** The lease (or grant in progress) a process serves. */
    Optional<String> leaseOn(int index) {
        return states[index] == SlotState.GRANTING || states[index] == SlotState.LEASED
                ? Optional.of(leaseIds[index]) : Optional.empty();
    }

    /** True while a lease or a grant in progress holds the wallet. */
    boolean holds(String walletId) {
        return Arrays.asList(walletIds).contains(walletId);
    }

    /** True when a lease holds the wallet or it is parked in a process. */
    boolean knows(String walletId) {
        return holds(walletId) || SlotPlanner.parkedIn(processes.get(), walletId).isPresent();
    }

    int waiting() {
        return queue.size();
    }

    /** Processes serving a lease or a grant in progress. */
    long busy() {
        return Arrays.stream(states).filter(s -> s == SlotState.GRANTING || s == SlotState.LEASED).count();
    }

    /** Spares open in processes nobody holds. */
    long openSpares() {
        return processes.get().stream().filter(p -> states[p.index()] == SlotState.FREE && p.spareOpen()).count();
    }

    private void set(int index, SlotState state, String leaseId, String walletId) {
        states[index] = Objects.requireNonNull(state);
        leaseIds[index] = leaseId;
        walletIds[index] = walletId;
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
