package dev.escrowstack.escrow.partypayout;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.funds.FundingWatcher;
import io.quarkus.scheduler.Scheduled;

/** The non-custodial payouts' clock: transactions looked for, overdue signers said, rulings built (also after a restart). */
@ApplicationScoped
class PartyPayoutWatch {

    private final PartyPayouts payouts;

    PartyPayoutWatch(PartyPayouts payouts) {
        this.payouts = payouts;
    }

    @Scheduled(every = "${escrow.funds.watch-interval:10s}", delayed = "3s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = FundingWatcher.Disabled.class)
    void watch() {
        payouts.watch();
    }
}
