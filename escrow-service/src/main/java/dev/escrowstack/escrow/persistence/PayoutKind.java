package dev.escrowstack.escrow.persistence;

import static dev.escrowstack.telemetry.Role.*;

import java.util.Locale;

import dev.escrowstack.telemetry.Role;

/**
 * The four ways money leaves an escrow. Each names the state it starts from, who is paid, the wallet that
 * builds the transaction and the one that signs and submits it — the two parties whose consent the payout
 * stands for — and the state it ends in.
 */
public enum PayoutKind {
    /** The buyer releases to the vendor. */
    RELEASE(EscrowStatus.FUNDED, vendor, buyer, vendor, EscrowStatus.RELEASED),
    /** The vendor refunds the buyer. */
    REFUND(EscrowStatus.FUNDED, buyer, vendor, buyer, EscrowStatus.REFUNDED),
    /** The arbiter settles a dispute for the buyer. */
    RESOLVE_BUYER(EscrowStatus.DISPUTED, buyer, arbiter, buyer, EscrowStatus.RESOLVED),
    /** The arbiter settles a dispute for the vendor. */
    RESOLVE_VENDOR(EscrowStatus.DISPUTED, vendor, arbiter, vendor, EscrowStatus.RESOLVED);

    public final EscrowStatus from;
    public final Role recipient;
    public final Role builder;
    public final Role signer;
    public final EscrowStatus to;

    PayoutKind(EscrowStatus from, Role recipient, Role builder, Role signer, EscrowStatus to) {
        this.from = from;
        this.recipient = recipient;
        this.builder = builder;
        this.signer = signer;
        this.to = to;
    }

    public String operation() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The arbiter's settlement of a dispute in favour of {@code winner} (the buyer or the vendor). */
    public static PayoutKind resolvingFor(Role winner) {
        return winner == buyer ? RESOLVE_BUYER : RESOLVE_VENDOR;
    }
}
