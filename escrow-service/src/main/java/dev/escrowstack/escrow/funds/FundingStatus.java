package dev.escrowstack.escrow.funds;

/**
 * What the escrow's multisig address holds, as its arbiter wallet sees it after a refresh. {@code
 * unlocked} counts only outputs spendable now (10 confirmations, 60 for coinbase).
 */
public record FundingStatus(String escrowId, String address, long expected, long received, long unlocked, State state) {

    public enum State {
        /** Nothing received yet. */
        AWAITING_FUNDS,
        /** Less than the amount received, or not all of it unlocked yet. */
        UNDERFUNDED,
        /** Exactly the amount, unlocked. */
        FUNDED,
        /** More than the amount, unlocked: the surplus is visible to the parties. */
        OVERFUNDED
    }

    static State of(long expected, long received, long unlocked) {
        if (received == 0) {
            return State.AWAITING_FUNDS;
        }
        if (unlocked < expected) {
            return State.UNDERFUNDED;
        }
        return received == expected ? State.FUNDED : State.OVERFUNDED;
    }
}
