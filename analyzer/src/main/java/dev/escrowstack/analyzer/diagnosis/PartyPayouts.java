package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.List;

import dev.escrowstack.analyzer.model.EscrowFile;

/**
 * A payout the parties make (custody "parties"), from its PARTY_PAYOUT events: what holds it up, most explaining
 * first — a refused transaction set (it opens a new epoch everyone must sync), a party that has not imported the
 * epoch's infos (it cannot sign), a signer past its deadline — and, apart, what held it up and was mended (HEALED).
 */
final class PartyPayouts {

    private PartyPayouts() {
    }

    /** The problems, most explaining first. */
    static List<Finding> problems(EscrowFile file) {
        return all(file).stream().filter(f -> f.pattern() != Pattern.HEALED).toList();
    }

    /** The steps that held the payout up and were mended later: not failures. */
    static List<Finding> healed(EscrowFile file) {
        return all(file).stream().filter(f -> f.pattern() == Pattern.HEALED).toList();
    }

    private static List<Finding> all(EscrowFile file) {
        List<PayoutStep> steps = PayoutStep.of(file);
        if (steps.isEmpty()) {
            return List.of();
        }
        List<Finding> findings = new ArrayList<>();
        findings.addAll(RefusedTxSet.find(file, steps));
        findings.addAll(StaleMultisig.find(file, steps));
        findings.addAll(OverdueSigner.find(file, steps));
        return findings;
    }
}
