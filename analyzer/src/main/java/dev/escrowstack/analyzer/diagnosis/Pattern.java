package dev.escrowstack.analyzer.diagnosis;

/**
 * The skill's three failure patterns, the non-custodial setup's own (a party that stalled, a party that
 * sent a stale info, one for another round or one of another wallet), a payout the parties make that is
 * held up (a party that has not imported the epoch's infos, a refused transaction set, a signer past its
 * deadline), what is left when none fits, and what healed (not a failure).
 */
public enum Pattern {
    A("RPC cache pollution"),
    B("race on a shared RPC instance"),
    C("state divergence"),
    STALLED("a party stalled"),
    STALE("a party sent stale, out-of-step or another wallet's infos"),
    /** A party payout refused because a participant has not imported the epoch's multisig infos (PartyPayouts). */
    STALE_MULTISIG("a party has not imported the latest multisig infos"),
    /** A transaction set refused: it pays another address than the recorded payout address (PartyPayouts). */
    TXSET_REFUSED("a party's transaction set was refused"),
    /** The party that must sign the payout has not, past its deadline (PartyPayouts). */
    SIGNER_OVERDUE("the payout's signer is past its deadline"),
    UNEXPLAINED("failure that fits no known pattern"),
    /**
     * Not a failure: an attempt abandoned after a fault, the setup started over on new wallets (Attempts); or a
     * payout step that held the escrow up and was mended later (a stale party that imported, a late signature).
     */
    HEALED("a fault the escrow got over: an attempt started over on new wallets, or a payout step mended later");

    private final String title;

    Pattern(String title) {
        this.title = title;
    }

    /** A payout the parties make (custody "parties", docs/parties.md): a party and an epoch, not a wallet and a round. */
    public boolean partyPayout() {
        return this == STALE_MULTISIG || this == TXSET_REFUSED || this == SIGNER_OVERDUE;
    }

    public String title() {
        return title;
    }

    /** "Pattern A — RPC cache pollution". */
    public String label() {
        return switch (this) {
            case UNEXPLAINED -> "No known pattern — " + title;
            case STALLED -> "Stalled party — " + title;
            case STALE -> "Stale data — " + title;
            case STALE_MULTISIG -> "Stale multisig — " + title;
            case TXSET_REFUSED -> "Transaction set refused — " + title;
            case SIGNER_OVERDUE -> "Signer overdue — " + title;
            case HEALED -> "Healed — " + title;
            default -> "Pattern " + name() + " — " + title;
        };
    }
}
