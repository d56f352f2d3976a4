package dev.escrowstack.escrow.funds;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.escrowstack.escrow.client.GatewayModels.TransferEntry;

/**
 * What the escrow's multisig address holds, as its arbiter wallet sees it after a refresh. Amounts in
 * atomic units; {@code confirmations} is the fewest among the incoming transfers (0 while one is in the pool).
 */
@Schema(description = "Funding of an escrow's multisig address")
public record FundingStatus(String escrowId, String address, long expected, long received, long unlocked, long confirmations,
        int requiredConfirmations,
        @Schema(description = "received - expected when more than the amount arrived") long surplus,
        State state,
        @Schema(description = "The escrow's state after this check (READY becomes FUNDED here)") String escrowStatus,
        @Schema(description = "When the wallet was last synced; a past escrow answers from its last check") Instant checkedAt) {

    public enum State {
        /** Nothing received yet. */
        AWAITING_FUNDS,
        /** Less than the amount received: the escrow stays awaiting funds. */
        UNDERFUNDED,
        /** The amount arrived but lacks confirmations, or is not spendable yet. */
        CONFIRMING,
        /** Exactly the amount, confirmed and spendable. */
        FUNDED,
        /** More than the amount, confirmed and spendable: the surplus is shown; a payout sends it along. */
        OVERFUNDED;

        public boolean funded() {
            return this == FUNDED || this == OVERFUNDED;
        }
    }

    /** The wallet's view, reduced: every incoming transfer and the spendable balance. */
    public record Observation(long received, long confirmed, long unlocked, long confirmations) {

        static Observation of(List<TransferEntry> transfers, long unlocked, int required) {
            long received = 0;
            long confirmed = 0;
            long fewest = Long.MAX_VALUE;
            for (TransferEntry t : transfers) {
                if (!t.incoming()) {
                    continue;
                }
                received += t.amount();
                long confirmations = t.type().equals("pool") ? 0 : t.confirmations();
                fewest = Math.min(fewest, confirmations);
                if (confirmations >= required) {
                    confirmed += t.amount();
                }
            }
            return new Observation(received, confirmed, unlocked, fewest == Long.MAX_VALUE ? 0 : fewest);
        }

        State state(long expected) {
            if (received == 0) {
                return State.AWAITING_FUNDS;
            }
            if (received < expected) {
                return State.UNDERFUNDED;
            }
            if (confirmed < expected || unlocked < expected) {
                return State.CONFIRMING;
            }
            return received == expected ? State.FUNDED : State.OVERFUNDED;
        }
    }
}
