package dev.escrowstack.analyzer.diagnosis;

import java.util.List;

/**
 * The verdict on one escrow: clean, or its findings, the most telling first (the primary finding is the
 * root cause), and where the failure surfaced ({@code surfaced}, null when no call failed and no final
 * error was recorded). Every output — the CLI, the diagnosis API, escrow-service's problem body, its
 * escrow view and ERROR_FINAL — shows these same two parts. An escrow that started over after a fault
 * has a HEALED finding per abandoned attempt, and one whose payout was held up and mended later (a stale party
 * that caught up, a late signer) one per mended step, after any failure's: not clean, and not failed.
 */
public record Diagnosis(String escrowId, String source, String status, Surfaced surfaced, List<Finding> findings) {

    /** No finding at all: no failure and no abandoned attempt. */
    public boolean clean() {
        return findings.isEmpty();
    }

    /** A problem to act on: a finding other than HEALED. */
    public boolean failed() {
        return findings.stream().anyMatch(f -> f.pattern() != Pattern.HEALED);
    }

    /** Only abandoned attempts, no failure: the setup healed. */
    public boolean healed() {
        return !clean() && !failed();
    }

    /** The root cause of the failure; null when there is none (a clean or a healed escrow). */
    public Finding primary() {
        return findings.stream().filter(f -> f.pattern() != Pattern.HEALED).findFirst().orElse(null);
    }

    /** What healed: the abandoned attempts, oldest first, then the mended payout steps. */
    public List<Finding> healedAttempts() {
        return findings.stream().filter(f -> f.pattern() == Pattern.HEALED).toList();
    }
}
