package dev.escrowstack.escrow.payout;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.funds.FundingWatcher;
import dev.escrowstack.escrow.funds.FundsConfig;
import dev.escrowstack.escrow.persistence.Escrow;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * Finishes payouts nobody is running: after a restart, this instance's PAYOUT_PENDING escrows; at any
 * time, one whose outcome was unknown; and another instance's that has not moved for longer than a
 * payout can take. Each resumes with the check for an outgoing transfer, so a payout that reached the
 * chain before the crash is recorded, and one that did not is built afresh.
 */
@ApplicationScoped
public class PayoutRecovery {

    private final PayoutStore store;
    private final MultisigSpend spend;
    private final EscrowConfig config;
    private final FundsConfig funds;

    public PayoutRecovery(PayoutStore store, MultisigSpend spend, EscrowConfig config, FundsConfig funds) {
        this.store = store;
        this.spend = spend;
        this.config = config;
        this.funds = funds;
    }

    @Scheduled(every = "${escrow.funds.watch-interval:10s}", delayed = "2s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = FundingWatcher.Disabled.class)
    void recover() {
        Instant staleBefore = Instant.now().minus(funds.leaseTtl()).minus(funds.leaseWait()).minusSeconds(60);
        for (Escrow e : store.pending(config.instanceId(), staleBefore)) {
            if (!spend.claim(e.id)) {
                continue; // running here right now
            }
            try {
                if (store.adopt(e, config.instanceId())) {
                    Log.infof("escrow %s: resuming its %s (attempts so far %s)", e.id, e.payoutKind.operation(), e.payoutAttempts);
                    Escrow end = spend.run(e.id, true);
                    Log.infof("escrow %s: %s resumed, now %s", e.id, e.payoutKind.operation(), end.status);
                }
            } catch (RuntimeException ex) {
                Log.warnf("escrow %s: resuming its payout failed (%s); trying again in %s", e.id, ex.getMessage(),
                        funds.watchInterval());
            } finally {
                spend.unclaim(e.id);
            }
        }
    }
}
