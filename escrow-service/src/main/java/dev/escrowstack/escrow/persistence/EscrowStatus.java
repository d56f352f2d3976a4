package dev.escrowstack.escrow.persistence;

/**
 * The life of an escrow. INITIALIZING → READY | FAILED; READY → FUNDED (the amount arrived with the
 * configured confirmations); FUNDED → RELEASED | REFUNDED | DISPUTED; DISPUTED → RESOLVED. Every payout
 * passes through PAYOUT_PENDING, which only one request can enter.
 */
public enum EscrowStatus {
    /** The multisig setup is running. */
    INITIALIZING,
    /** Custody PARTIES: the setup waits for the parties' messages, round by round (docs/parties.md). */
    AWAITING_PARTIES,
    /** Setup done: all three wallets share one multisig address; awaiting funds. */
    READY,
    /** Setup failed; failure_* say where and why. */
    FAILED,
    /** The amount (or more) is at the multisig address, confirmed and spendable. */
    FUNDED,
    /** A party disputes: only the arbiter's resolution can pay out now. */
    DISPUTED,
    /** A payout is being built, signed or submitted; payout_kind says which. Nothing else can start. */
    PAYOUT_PENDING,
    /** Paid to the vendor. */
    RELEASED,
    /** Paid back to the buyer. */
    REFUNDED,
    /** The arbiter settled the dispute; payout_kind says for whom. */
    RESOLVED;

    /** States that hold a multisig address whose funds can still be looked at live. */
    public boolean holdsFunds() {
        return this == READY || this == FUNDED || this == DISPUTED;
    }
}
