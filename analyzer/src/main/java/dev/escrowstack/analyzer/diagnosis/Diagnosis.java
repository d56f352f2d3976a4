package dev.escrowstack.analyzer.diagnosis;

import java.util.List;

/**
 * The verdict on one escrow: clean, or its findings, the most telling first (the primary finding is the
 * root cause), and where the failure surfaced ({@code surfaced}, null when no call failed and no final
 * error was recorded). Every output — the CLI, the diagnosis API, escrow-service's problem body, its
 * escrow view and ERROR_FINAL — shows these same two parts.
 */
public record Diagnosis(String escrowId, String source, String status, Surfaced surfaced, List<Finding> findings) {

    public boolean clean() {
        return findings.isEmpty();
    }

    public Finding primary() {
        return findings.isEmpty() ? null : findings.get(0);
    }
}
