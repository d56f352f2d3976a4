package dev.escrowstack.analyzer.diagnosis;

/**
 * The skill's three failure patterns, the non-custodial setup's own (a party that stalled, a party that
 * sent a stale info, one for another round or one of another wallet), what is left when none fits, and a
 * setup that healed (not a failure).
 */
public enum Pattern {
    A("RPC cache pollution"),
    B("race on a shared RPC instance"),
    C("state divergence"),
    STALLED("a party stalled"),
    STALE("a party sent stale, out-of-step or another wallet's infos"),
    UNEXPLAINED("failure that fits no known pattern"),
    /** Not a failure: an attempt abandoned after a fault, the setup started over on new wallets (Attempts). */
    HEALED("a setup attempt abandoned after a fault, started over on new wallets");

    private final String title;

    Pattern(String title) {
        this.title = title;
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
            case HEALED -> "Healed — " + title;
            default -> "Pattern " + name() + " — " + title;
        };
    }
}
