package dev.escrowstack.gateway.lease;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.context.Context;

/** The slot book alone: four processes, no I/O, no threads. */
class SlotBookTest {

    private final List<ProcessView> processes = new ArrayList<>(List.of(empty(0), empty(1), empty(2), empty(3)));
    private final AtomicLong tokens = new AtomicLong(100);
    private final SlotBook book = new SlotBook(() -> List.copyOf(processes), tokens::incrementAndGet);

    @Test
    void aRequestGetsAllItsProcessesAtOnceOrNone() {
        Grant three = single(book.enqueue(waiter(Role.buyer, Role.vendor, Role.arbiter)));
        book.leased(three.leaseId(), wallets(three));

        // One process is free; a request for two gets nothing, not half.
        List<Grant> none = book.enqueue(waiter(Role.buyer, Role.vendor));
        assertTrue(none.isEmpty());
        assertEquals(1, states(SlotState.FREE));
        assertEquals(1, book.waiting());

        Grant two = single(book.free(three.leaseId()));
        assertEquals(2, two.placements().size());
        assertEquals(2, states(SlotState.GRANTING));
        assertEquals(0, book.waiting());
    }

    @Test
    void aRequestThatDoesNotFitBlocksEveryoneBehindIt() {
        Grant holder = single(book.enqueue(waiter(Role.buyer, Role.vendor, Role.arbiter)));
        Waiter large = waiter(Role.buyer, Role.vendor);
        Waiter small = waiter(Role.buyer);
        assertTrue(book.enqueue(large).isEmpty());
        // One process is free and the small request would fit; it must not overtake the large one.
        assertTrue(book.enqueue(small).isEmpty());
        assertEquals(2, book.waiting());
        assertEquals(List.of(3), free());

        List<Grant> grants = book.free(holder.leaseId());
        assertEquals(List.of(large, small), grants.stream().map(Grant::waiter).toList(), "both, in arrival order");
        assertTrue(grants.get(0).token() < grants.get(1).token(), "tokens follow grant order");
    }

    @Test
    void aRequestWaitingForAWalletAnotherLeaseHoldsIsSteppedOver() {
        Grant holder = single(book.enqueue(waiter(Map.of(Role.buyer, Optional.of("w-held")))));
        book.leased(holder.leaseId(), wallets(holder));
        assertTrue(book.holds("w-held"));

        Waiter wantsHeld = waiter(Map.of(Role.vendor, Optional.of("w-held")));
        Waiter wantsNew = waiter(Role.buyer);
        assertTrue(book.enqueue(wantsHeld).isEmpty(), "its wallet is in another lease");
        Grant stepped = single(book.enqueue(wantsNew));
        assertSame(wantsNew, stepped.waiter(), "needs only capacity, so it goes first");

        Grant later = single(book.free(holder.leaseId()));
        assertSame(wantsHeld, later.waiter());
        assertEquals(Optional.of("w-held"), later.placements().get(Role.vendor).walletId());
    }

    @Test
    void aNewWalletGoesToASpareAndAParkedWalletBackToItsProcess() {
        processes.set(1, new ProcessView(1, true, Optional.of(new OpenWallet("w-parked", false))));
        processes.set(2, new ProcessView(2, true, Optional.of(new OpenWallet("w-spare", true))));
        Map<Role, Optional<String>> wanted = new EnumMap<>(Role.class);
        wanted.put(Role.buyer, Optional.empty());
        wanted.put(Role.vendor, Optional.of("w-parked"));
        wanted.put(Role.arbiter, Optional.of("w-stored"));

        Grant grant = single(book.enqueue(waiter(wanted)));

        assertEquals(2, grant.placements().get(Role.buyer).process(), "the warm spare");
        assertEquals(1, grant.placements().get(Role.vendor).process(), "where it is parked");
        assertEquals(0, grant.placements().get(Role.arbiter).process(), "an empty process before displacing anything");
        assertTrue(book.knows("w-parked"));
    }

    @Test
    void maintenanceTakesAnIdleProcessOnlyWhileNobodyWaits() {
        processes.set(0, new ProcessView(0, true, Optional.of(new OpenWallet("w-spare", true))));
        processes.set(1, new ProcessView(1, true, Optional.of(new OpenWallet("w-parked", false))));
        assertEquals(1, book.openSpares());

        // An empty process first, never one with a spare; a parked wallet's process only after those.
        assertEquals(2, book.reserveForMaintenance(true).getAsInt());
        assertEquals(3, book.reserveForMaintenance(true).getAsInt());
        assertEquals(1, book.reserveForMaintenance(true).getAsInt());
        assertTrue(book.reserveForMaintenance(true).isEmpty());
        assertEquals(3, states(SlotState.MAINTENANCE));
        assertEquals(0, book.busy(), "maintenance is not a lease");
        assertEquals(Optional.empty(), book.leaseOn(2));

        // A request for two: only the spare's process is free, so it waits, and maintenance must not begin.
        Waiter waiter = waiter(Role.buyer, Role.vendor);
        assertTrue(book.enqueue(waiter).isEmpty());
        assertSame(waiter, single(book.endMaintenance(3)).waiter(), "freeing the reserved process let the waiter through");
        assertTrue(book.endMaintenance(0).isEmpty(), "ending maintenance frees only a reserved process");
        assertEquals(SlotState.GRANTING, book.state(0));
        assertEquals(SlotState.MAINTENANCE, book.state(2));
    }

    @Test
    void maintenanceDisplacesTheLeastRecentlyLeasedParkedWallet() {
        // w-old parked in process 1, w-new in process 0; leased in that order (each back to where it is parked).
        processes.set(1, new ProcessView(1, true, Optional.of(new OpenWallet("w-old", false))));
        processes.set(0, new ProcessView(0, true, Optional.of(new OpenWallet("w-new", false))));
        for (String wallet : List.of("w-old", "w-new")) {
            Grant grant = single(book.enqueue(waiter(Map.of(Role.arbiter, Optional.of(wallet)))));
            book.leased(grant.leaseId(), wallets(grant));
            book.free(grant.leaseId());
        }
        processes.set(2, new ProcessView(2, true, Optional.of(new OpenWallet("w-spare", true))));
        processes.set(3, new ProcessView(3, true, Optional.of(new OpenWallet("w-spare2", true))));
        assertEquals(1, book.reserveForMaintenance(true).getAsInt(), "the wallet leased longest ago is displaced, not the one just used");
        assertEquals(0, book.reserveForMaintenance(true).getAsInt());
    }

    @Test
    void aWalletALeaseNamedStaysParkedForItsKeepTimeANewOneDoesNot() {
        AtomicLong now = new AtomicLong();
        SlotBook keeping = new SlotBook(() -> List.copyOf(processes), tokens::incrementAndGet, now::get, Duration.ofMinutes(2).toNanos());
        for (int i = 1; i < 4; i++) {
            processes.set(i, new ProcessView(i, true, Optional.of(new OpenWallet("w-spare-" + i, true))));
        }
        // A funding check's lease names the escrow's wallet: it goes to the empty process, and stays parked there.
        int watched = leaseAndPark(keeping, waiter(Map.of(Role.arbiter, Optional.of("w-watched"))), "w-watched");
        assertEquals(0, watched);
        assertTrue(keeping.reserveForMaintenance(false).isEmpty(), "the named wallet stays parked: its next check opens nothing");

        // Another escrow's check displaces a spare rather than the kept wallet, which the next check wants again.
        int other = leaseAndPark(keeping, waiter(Map.of(Role.arbiter, Optional.of("w-other"))), "w-other");
        assertNotEquals(watched, other);
        // A setup's new wallet takes a spare; parked after its lease, its process may take a spare again at once.
        int fresh = leaseAndPark(keeping, waiter(Role.buyer), "w-new-buyer");
        assertEquals(fresh, keeping.reserveForMaintenance(false).getAsInt(), "the new wallet's process may take a spare at once");
        assertTrue(keeping.reserveForMaintenance(false).isEmpty(), "the two named wallets stay parked");

        assertEquals(watched, keeping.reserveForMaintenance(true).getAsInt(), "to make a missing spare, the least recently leased goes");
        keeping.endMaintenance(watched);
        now.addAndGet(Duration.ofMinutes(2).toNanos());
        assertEquals(watched, keeping.reserveForMaintenance(false).getAsInt(), "after its keep time it may go too");
    }

    /** Grants {@code waiter} its one wallet, leases and frees it, and shows it parked: the process it was in. */
    private int leaseAndPark(SlotBook keeping, Waiter waiter, String walletId) {
        Grant grant = single(keeping.enqueue(waiter));
        int index = grant.placements().values().iterator().next().process();
        keeping.leased(grant.leaseId(), Map.of(index, walletId));
        keeping.free(grant.leaseId());
        processes.set(index, new ProcessView(index, true, Optional.of(new OpenWallet(walletId, false))));
        return index;
    }

    @Test
    void maintenanceWaitsWhileARequestIsQueued() {
        single(book.enqueue(waiter(Role.buyer, Role.vendor, Role.arbiter)));
        assertTrue(book.enqueue(waiter(Role.buyer, Role.vendor)).isEmpty());
        assertTrue(book.reserveForMaintenance(true).isEmpty(), "a waiting escrow needs the CPU more than a spare");
    }

    @Test
    void aWaitThatRunsOutUnblocksThoseBehindIt() {
        single(book.enqueue(waiter(Role.buyer, Role.vendor, Role.arbiter)));
        Waiter large = waiter(Role.buyer, Role.vendor);
        Waiter small = waiter(Role.buyer);
        book.enqueue(large);
        book.enqueue(small);

        assertTrue(book.withdraw(large));
        assertFalse(book.withdraw(large), "a waiter leaves the queue once");
        Grant grant = single(book.dispatch());
        assertSame(small, grant.waiter());
    }

    @Test
    void aProcessThatRestartsWhileLeasedStaysWithItsLease() {
        Grant lease = single(book.enqueue(waiter(Role.buyer)));
        int index = lease.placements().get(Role.buyer).process();
        book.leased(lease.leaseId(), wallets(lease));

        processes.set(index, new ProcessView(index, false, Optional.empty())); // crashed, restarting
        assertEquals(SlotState.LEASED, book.state(index));
        assertEquals(Optional.of(lease.leaseId()), book.leaseOn(index), "the restart is the lease's incident");

        processes.set(index, empty(index)); // restarted
        List<Grant> others = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            others.addAll(book.enqueue(waiter(Role.vendor)));
        }
        assertEquals(3, others.size());
        assertTrue(others.stream().noneMatch(g -> g.placements().get(Role.vendor).process() == index),
                "a restarted process is still the lease's, not free");
        assertEquals(1, book.waiting());
    }

    @Test
    void aProcessThatIsRestartingIsNotGranted() {
        processes.set(0, new ProcessView(0, false, Optional.empty()));
        processes.set(1, new ProcessView(1, false, Optional.empty()));
        assertTrue(book.enqueue(waiter(Role.buyer, Role.vendor, Role.arbiter)).isEmpty(), "only two healthy processes");
        processes.set(1, empty(1));
        assertEquals(1, book.dispatch().size());
    }

    @Test
    void aFailedGrantFreesItsProcessesAndTheQueueMovesOn() {
        Grant first = single(book.enqueue(waiter(Role.buyer, Role.vendor, Role.arbiter)));
        Waiter next = waiter(Role.buyer, Role.vendor);
        assertTrue(book.enqueue(next).isEmpty());
        assertEquals(3, book.busy());

        Grant retried = single(book.free(first.leaseId()));
        assertSame(next, retried.waiter());
        assertEquals(2, book.busy());
        assertNotEquals(first.leaseId(), retried.leaseId());
    }

    private static ProcessView empty(int index) {
        return new ProcessView(index, true, Optional.empty());
    }

    private static Waiter waiter(Role... roles) {
        Map<Role, Optional<String>> wanted = new EnumMap<>(Role.class);
        for (Role role : roles) {
            wanted.put(role, Optional.empty());
        }
        return waiter(wanted);
    }

    private static Waiter waiter(Map<Role, Optional<String>> wallets) {
        return new Waiter(new LeaseRequest("escrow", new EnumMap<>(wallets), Duration.ofMinutes(2), Duration.ofSeconds(30)),
                Context.root());
    }

    /** The wallets a grant ends up with: the one asked for, or a new id per role. */
    private static Map<Integer, String> wallets(Grant grant) {
        return grant.placements().values().stream().collect(Collectors.toMap(Grant.Placement::process,
                p -> p.walletId().orElse("w-new-" + p.role())));
    }

    private static Grant single(List<Grant> grants) {
        assertEquals(1, grants.size(), grants.toString());
        return grants.get(0);
    }

    private long states(SlotState state) {
        return processes.stream().filter(p -> book.state(p.index()) == state).count();
    }

    private List<Integer> free() {
        return processes.stream().map(ProcessView::index).filter(i -> book.state(i) == SlotState.FREE).toList();
    }
}
