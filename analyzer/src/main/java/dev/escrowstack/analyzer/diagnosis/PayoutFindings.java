package dev.escrowstack.analyzer.diagnosis;

import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;

/** What the three payout findings share: how a step is cited, and a finding about a party and its payout step. */
final class PayoutFindings {

    private PayoutFindings() {
    }

    /** "+1234ms" and the event's number, so the reader finds it in the file and on the timeline. */
    static String at(EscrowFile file, Event e) {
        return Texts.at(file, e) + " (event #" + e.index() + ")";
    }

    /**
     * A finding about a party's payout step: the party in {@code role}, the payout kind in {@code operation}, the
     * step itself (epoch, outcome, hashes) as the "state before" — a payout has no wallet snapshot of its own.
     */
    static Finding finding(Pattern pattern, EscrowFile file, String role, PayoutStep step, String error, List<String> evidence,
            String cause, String fix, String why) {
        Map<String, Object> state = step.event().details();
        return new Finding(pattern, file.escrowId(), role, null, null, null, step.kind(), error,
                "PARTY_PAYOUT event #" + step.event().index(), state, List.copyOf(evidence), cause, fix, why, List.of());
    }

    /** "the buyer", "the buyer and the vendor". */
    static String parties(List<String> roles) {
        return roles.isEmpty() ? "a party" : "the " + String.join(" and the ", roles);
    }

    /** Whose recorded payout address a payout of this kind pays (release the vendor's, refund the buyer's). */
    static String payee(String kind, String fallback) {
        if (kind == null) {
            return fallback;
        }
        return switch (kind) {
            case "release", "resolve_vendor" -> "vendor";
            case "refund", "resolve_buyer" -> "buyer";
            default -> fallback;
        };
    }
}
