package dev.escrowstack.analyzer.diagnosis;

/** The skill's three failure patterns, and what is left when none fits. */
public enum Pattern {
    A("RPC cache pollution"),
    B("race on a shared RPC instance"),
    C("state divergence"),
    UNEXPLAINED("failure that fits no known pattern");

    private final String title;

    Pattern(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** "Pattern A — RPC cache pollution". */
    public String label() {
        return this == UNEXPLAINED ? "No known pattern — " + title : "Pattern " + name() + " — " + title;
    }
}
