package dev.escrowstack.escrow.partypayout;

import java.util.Optional;

import dev.escrowstack.escrow.client.GatewayModels.Described;
import dev.escrowstack.escrow.client.GatewayModels.Recipient;

/**
 * What a payout's transaction set must be before anyone signs it: exactly one recipient, the recorded payout
 * address, paid everything at the escrow address less the fee, no change left behind. Read from the arbiter's
 * own {@code describe_transfer} of the set, not from what its sender says it is.
 */
final class TxSetCheck {

    private TxSetCheck() {
    }

    /**
     * Why {@code described} is not the payout of {@code balance} to {@code address}; empty when it is.
     * {@code payee}: whose recorded address it is, for the words.
     */
    static Optional<String> refusal(Described described, String address, String payee, long balance) {
        if (described.recipients().size() != 1) {
            return Optional.of("it pays " + described.recipients().size() + " recipients; a payout pays one, the " + payee
                    + "'s recorded payout address");
        }
        Recipient to = described.recipients().get(0);
        if (!to.address().equals(address)) {
            return Optional.of("it pays another address than the " + payee + "'s recorded payout address");
        }
        if (described.changeAmount() != 0) {
            return Optional.of("it keeps " + described.changeAmount() + " as change: a payout sends everything at the escrow address");
        }
        if (described.amountIn() != balance) {
            return Optional.of("it spends " + described.amountIn() + " of the " + balance + " at the escrow address: a payout sends"
                    + " everything (sweep_all)");
        }
        if (to.amount() != described.amountIn() - described.fee()) {
            return Optional.of("it pays " + to.amount() + " of " + described.amountIn() + " less a fee of " + described.fee());
        }
        return Optional.empty();
    }

    /** The address the set pays (its first recipient), for the hash on the span; null when it pays nobody. */
    static String destination(Described described) {
        return described.recipients().isEmpty() ? null : described.recipients().get(0).address();
    }
}
