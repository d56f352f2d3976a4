package dev.escrowstack.gateway.lease;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.gateway.support.Processes;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.context.Context;

/** The registry over the slot book, with a real fencing ledger in a temporary directory; no processes. */
class LeaseRegistryTest {

    @TempDir
    Path data;

    private final List<ProcessView> processes = new ArrayList<>();
    private FencingLedger ledger;
    private LeaseRegistry registry;

    private LeaseRegistry registry() {
        for (int i = 0; i < 3; i++) {
            processes.add(new ProcessView(i, true, Optional.empty()));
        }
        ledger = new FencingLedger(FencingLedgerTest.config(data));
        registry = new LeaseRegistry(() -> List.copyOf(processes), ledger);
        return registry;
    }

    @AfterEach
    void closeLedger() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void aLeasePastItsExpiryIsDueOnceAndItsEndLetsTheNextWaiterIn() {
        LeaseRegistry registry = registry();
        Lease lease = grant(registry, Duration.ofSeconds(1), Role.buyer, Role.vendor, Role.arbiter);
        Waiter next = waiter(Duration.ofMinutes(2), Role.buyer);
        assertTrue(registry.enqueue(next).isEmpty());

        assertEquals(List.of(), registry.due(Instant.now()));
        Instant later = Instant.now().plusSeconds(5);
        assertEquals(List.of(lease), registry.due(later));

        assertTrue(registry.beginEnd(lease));
        assertFalse(registry.beginEnd(lease), "one expiry per lease");
        assertEquals(List.of(), registry.due(later), "an ending lease is not due again");
        assertEquals(410, problem(() -> registry.check(lease.id(), lease.fencingToken())).status(), "no calls while it ends");

        List<Grant> grants = registry.finish(lease, LeaseState.EXPIRED);
        assertEquals(1, grants.size());
        assertSame(next, grants.get(0).waiter());
        assertEquals(LeaseState.EXPIRED, lease.state());
        assertNotNull(lease.endedAt());
        assertEquals(Optional.of(lease), registry.find(lease.id()), "recently ended leases are still known");
        assertEquals(410, problem(() -> registry.check(lease.id(), lease.fencingToken())).status());
    }

    @Test
    void aRequestQueuedWhileTheProcessesWereDownIsGrantedOnceTheyAreHealthyWithoutAnyLeaseEvent() {
        LeaseRegistry registry = registry();
        processes.replaceAll(p -> new ProcessView(p.index(), false, Optional.empty())); // a gateway just started
        Waiter early = waiter(Duration.ofMinutes(2), Role.buyer, Role.vendor, Role.arbiter);
        assertTrue(registry.enqueue(early).isEmpty(), "nothing healthy yet");
        assertEquals(List.of(), registry.dispatchWaiting());

        processes.replaceAll(p -> new ProcessView(p.index(), true, Optional.empty()));
        List<Grant> grants = registry.dispatchWaiting();
        assertEquals(1, grants.size(), "the processes that came up go to the request that waited for them");
        assertSame(early, grants.get(0).waiter());
        assertEquals(List.of(), registry.dispatchWaiting(), "granted once");
    }

    @Test
    void renewMovesTheExpiryOfTheLeaseItChecked() {
        LeaseRegistry registry = registry();
        Lease lease = grant(registry, Duration.ofSeconds(1), Role.buyer);

        Lease renewed = registry.renew(lease.id(), lease.fencingToken(), Duration.ofMinutes(10));

        assertSame(lease, renewed);
        assertEquals(List.of(), registry.due(Instant.now().plusSeconds(60)));
        assertEquals(409, problem(() -> registry.renew(lease.id(), lease.fencingToken() + 1, Duration.ofMinutes(10))).status());
    }

    @Test
    void theFencingCheckNamesWhatIsWrong() {
        LeaseRegistry registry = registry();
        Lease lease = grant(registry, Duration.ofMinutes(2), Role.buyer);

        assertSame(lease, registry.check(lease.id(), lease.fencingToken()));
        assertEquals(404, problem(() -> registry.check("l-unknown", 1L)).status());
        assertEquals(400, problem(() -> registry.check(lease.id(), null)).status());
        assertEquals(409, problem(() -> registry.check(lease.id(), lease.fencingToken() - 1)).status());

        Lease released = registry.beginRelease(lease.id(), lease.fencingToken());
        assertEquals(LeaseState.ENDING, released.state());
        assertFalse(registry.stillHolds(lease, lease.wallets().get(Role.buyer)), "a call that waited for the lock must not run");
        assertEquals(410, problem(() -> registry.beginRelease(lease.id(), lease.fencingToken())).status());
    }

    @Test
    void aRestartedProcessIsTracedToTheLeaseItServes() {
        LeaseRegistry registry = registry();
        Lease lease = grant(registry, Duration.ofMinutes(2), Role.vendor);
        int leased = lease.wallets().get(Role.vendor).process().index();
        Waiter granting = waiter(Duration.ofMinutes(2), Role.buyer);
        int opening = registry.enqueue(granting).get(0).placements().get(Role.buyer).process();

        assertEquals(Optional.of(lease), registry.leaseServedBy(leased));
        assertEquals(Optional.empty(), registry.leaseServedBy(opening), "a grant in progress has no lease yet");
        assertTrue(registry.leaseOf(opening).isPresent(), "but its process is taken");
        assertEquals(Optional.empty(), registry.leaseServedBy(2));
        assertEquals(2, registry.busyProcesses());
    }

    @Test
    void everyGrantAndEndIsLoggedAndTheLogShowsNoDoubleHolding() throws Exception {
        LeaseRegistry registry = registry();
        for (int round = 0; round < 3; round++) {
            Lease a = grant(registry, Duration.ofMinutes(2), Role.buyer, Role.vendor);
            Lease b = grant(registry, Duration.ofMinutes(2), Role.arbiter);
            registry.beginRelease(a.id(), a.fencingToken());
            registry.finish(a, LeaseState.RELEASED);
            registry.beginEnd(b);
            registry.finish(b, LeaseState.EXPIRED);
        }
        FencingAudit.Result audit = FencingAudit.of(Files.readAllLines(ledger.logFile()));
        assertEquals(9, audit.grants());
        assertEquals(6, audit.ends());
        assertEquals(List.of(), audit.violations());
    }

    /** Enqueues a request that fits now and activates its lease, as the lease manager does once its wallets are open. */
    private Lease grant(LeaseRegistry registry, Duration ttl, Role... roles) {
        List<Grant> grants = registry.enqueue(waiter(ttl, roles));
        assertEquals(1, grants.size());
        Grant grant = grants.get(0);
        Map<Role, LeasedWallet> wallets = new EnumMap<>(Role.class);
        grant.placements().forEach((role, p) -> wallets.put(role, new LeasedWallet(role, "w-" + grant.leaseId() + "-" + role,
                Processes.notStarted(p.process(), data.resolve("rpc-" + p.process())), true)));
        Instant now = Instant.now();
        Lease lease = new Lease(grant.leaseId(), "escrow", grant.token(), wallets, now, now.plus(ttl), 0);
        registry.activate(lease);
        return lease;
    }

    private static Waiter waiter(Duration ttl, Role... roles) {
        Map<Role, Optional<String>> wanted = new EnumMap<>(Role.class);
        for (Role role : roles) {
            wanted.put(role, Optional.empty());
        }
        return new Waiter(new LeaseRequest("escrow", wanted, ttl, Duration.ofSeconds(30)), Context.root());
    }

    private static ProblemException problem(Runnable call) {
        return assertThrows(ProblemException.class, call::run);
    }
}
