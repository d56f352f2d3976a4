package dev.escrowstack.analyzer.report;

import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * The skill's rounds as the views name them. The skill has three: round 1 is prepare_multisig then
 * make_multisig, rounds 2 and 3 are the two exchange_multisig_keys. escrow-service writes one round
 * span per step (two with round 1) and a last one with round 4 (MultisigSetup.VERIFY_ROUND, operation
 * "state"): that is the final verification after round 3, not a fourth round of the skill.
 */
final class Rounds {

    private static final int SKILL_ROUNDS = 3;

    private Rounds() {
    }

    /** A STATE_CHANGE that stands for one round span: stamped at its start, its duration_ms says when it ended. */
    static boolean isSpan(Event e) {
        return e.is(EventTypes.STATE_CHANGE) && e.number("round") != null;
    }

    /** "round 1 (prepare_multisig)", "round 2 (exchange_multisig_keys)", "final verification". */
    static String name(Event span) {
        long round = span.number("round");
        if (round > SKILL_ROUNDS) {
            return "final verification";
        }
        String operation = span.text("operation");
        return "round " + round + (operation == null ? "" : " (" + operation + ")");
    }

    /** What an RPC line says about its round: " round=2", or " (final verification)" for the check after round 3. */
    static String ofCall(Long round) {
        if (round == null) {
            return "";
        }
        return round > SKILL_ROUNDS ? " (final verification)" : " round=" + round;
    }

    /** The start line's text, after the event type. */
    static String started(Event span) {
        return name(span) + (span.number("round") > SKILL_ROUNDS ? " (after round " + SKILL_ROUNDS + ")" : "") + " started";
    }

    /** The line printed where the span ended: its duration and whether it succeeded. */
    static String ended(Event span) {
        Boolean success = span.flag("success");
        return name(span) + " ended after " + span.number("duration_ms") + "ms" + (success == null ? "" : success ? " ✅" : " ❌");
    }

    static long end(Event span) {
        return span.timestamp() + span.number("duration_ms");
    }
}
