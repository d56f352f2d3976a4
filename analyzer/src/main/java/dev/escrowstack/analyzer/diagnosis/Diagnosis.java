package dev.escrowstack.analyzer.diagnosis;

import java.util.List;

/** The verdict on one escrow: clean, or its findings, the most telling first. */
public record Diagnosis(String escrowId, String source, String status, List<Finding> findings) {

    public boolean clean() {
        return findings.isEmpty();
    }

    public Finding primary() {
        return findings.isEmpty() ? null : findings.get(0);
    }
}
