package dev.escrowstack.escrow.support;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.escrowstack.escrow.payout.PayoutStore;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.escrow.service.EscrowStore;
import dev.escrowstack.escrow.service.NewEscrow;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Many payouts and a dispute asked for at the same instant, straight at the database: exactly one
 * transition may win. Shared by the H2 and the PostgreSQL test, since the guard is the database's.
 */
public final class TransitionRace {

    private TransitionRace() {
    }

    public static void exactlyOneWins(EscrowStore escrows, EscrowRepository repository, PayoutStore payouts) throws Exception {
        Escrow e = escrows.create(new NewEscrow("race-b", "race-v", 5L, null, null), null, "h", "test");
        QuarkusTransaction.requiringNew().run(() -> repository.update("status = ?1 where id = ?2", EscrowStatus.FUNDED, e.id));
        int contenders = 12;
        CyclicBarrier start = new CyclicBarrier(contenders);
        List<Callable<String>> all = new ArrayList<>();
        for (int i = 0; i < contenders; i++) {
            PayoutKind kind = i % 3 == 0 ? PayoutKind.RELEASE : i % 3 == 1 ? PayoutKind.REFUND : null;
            all.add(() -> {
                start.await();
                boolean won = kind == null ? payouts.dispute(e.id, "buyer", "race")
                        : payouts.start(e.id, kind, "addr-" + kind, "instance");
                return won ? (kind == null ? "DISPUTE" : kind.name()) : null;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        List<String> winners = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(all)) {
            if (f.get() != null) {
                winners.add(f.get());
            }
        }
        pool.shutdown();
        assertEquals(1, winners.size(), "exactly one transition out of FUNDED: " + winners);
        Escrow after = payouts.find(e.id).orElseThrow();
        if (winners.get(0).equals("DISPUTE")) {
            assertEquals(EscrowStatus.DISPUTED, after.status);
        } else {
            assertEquals(EscrowStatus.PAYOUT_PENDING, after.status);
            assertEquals(winners.get(0), after.payoutKind.name());
            assertEquals("addr-" + winners.get(0), after.payoutAddress, "the winner's own payout, not a mix");
        }
    }
}
