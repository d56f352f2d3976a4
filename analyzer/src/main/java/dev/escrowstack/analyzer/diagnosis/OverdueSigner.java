package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * A payout whose signer is past its deadline ({@code signer-overdue} steps). A problem while nothing follows it:
 * a {@code submitted} step or the payout's end means the signature came late — a HEALED finding, as for a stale
 * party that caught up.
 */
final class OverdueSigner {

    static final String WHY = "A 2-of-3 payout needs two of the three signatures. The service holds only the arbiter's key, so"
            + " without the signer's own signature (the winner's, after a ruling) nothing moves: a party who never signs leaves the"
            + " funds where they are — the weakness that made Bisq leave 2-of-3 arbitration. The deadline makes the wait visible;"
            + " a re-issue or a dispute gives the escrow a way on.";

    private OverdueSigner() {
    }

    /** One finding per signer and epoch: SIGNER_OVERDUE while nothing followed, else HEALED. */
    static List<Finding> find(EscrowFile file, List<PayoutStep> steps) {
        Map<String, List<PayoutStep>> bySignerAndEpoch = new LinkedHashMap<>();
        for (PayoutStep s : steps) {
            if (s.is(PayoutStep.SIGNER_OVERDUE)) {
                bySignerAndEpoch.computeIfAbsent(signer(s) + "@" + s.epoch(), k -> new ArrayList<>()).add(s);
            }
        }
        List<Finding> findings = new ArrayList<>();
        for (List<PayoutStep> overdue : bySignerAndEpoch.values()) {
            PayoutStep first = overdue.get(0);
            Event signed = signedAfter(file, steps, first);
            List<String> evidence = new ArrayList<>();
            overdue.forEach(s -> evidence.add(PayoutFindings.at(file, s.event()) + " the " + signer(s) + "'s signature of the " + s.kind()
                    + " (epoch " + s.epoch() + ") overdue: awaited since " + orUnknown(s.since()) + ", deadline " + orUnknown(s.deadline())));
            findings.add(signed == null ? overdue(file, first, evidence) : late(file, first, signed, evidence));
        }
        return findings;
    }

    private static Finding overdue(EscrowFile file, PayoutStep s, List<String> evidence) {
        String signer = signer(s);
        String cause = whoHasNotSigned(s) + " since " + orUnknown(s.since()) + " (deadline " + orUnknown(s.deadline())
                + "), and nothing since shows it submitted";
        boolean resolve = s.kind().startsWith("resolve");
        String fix = "Contact the " + signer + ": it signs with its own wallet (its client's sign step: describe_transfer, sign_multisig,"
                + " submit_multisig, PUT …/payout/submitted). " + (resolve
                        ? "If it stays silent, the arbiter can re-issue the payout (POST /api/escrow/" + file.escrowId() + "/resolve again):"
                                + " a new epoch and a new deadline."
                        : "If it does not sign, either party can open a dispute (POST /api/escrow/" + file.escrowId() + "/dispute) and the"
                                + " arbiter rules (POST …/resolve); the winner then signs the arbiter's payout.");
        return PayoutFindings.finding(Pattern.SIGNER_OVERDUE, file, signer, s, s.error(), evidence, cause, fix, WHY);
    }

    private static Finding late(EscrowFile file, PayoutStep s, Event signed, List<String> evidence) {
        evidence.add(PayoutFindings.at(file, signed) + (signed.is(EventTypes.PARTY_PAYOUT)
                ? " the " + (signed.role() == null ? signer(s) : signed.role()) + " submitted the payout"
                : " the payout ended " + signed.text("state")));
        return PayoutFindings.finding(Pattern.HEALED, file, signer(s), s, s.error(), evidence, "healed: the " + signer(s)
                + " signed the " + s.kind() + " after its deadline (" + orUnknown(s.deadline()) + ")",
                "Nothing to do for this escrow. If signers are often late, a longer escrow.parties.sign-timeout, or remind them sooner.",
                WHY);
    }

    /** "The winner (buyer) has not signed the arbiter's payout", "The buyer has not signed the vendor's release". */
    private static String whoHasNotSigned(PayoutStep s) {
        String signer = signer(s);
        return switch (s.kind()) {
            case "resolve_buyer", "resolve_vendor" -> "The winner (" + signer + ") has not signed the arbiter's payout";
            case "release" -> "The " + signer + " has not signed the vendor's release";
            case "refund" -> "The " + signer + " has not signed the buyer's refund";
            default -> "The " + signer + " has not signed the " + s.kind();
        };
    }

    /** A submitted step or the payout's end after the overdue step, or null. */
    private static Event signedAfter(EscrowFile file, List<PayoutStep> steps, PayoutStep overdue) {
        for (PayoutStep s : steps) {
            if (s.event().index() > overdue.event().index() && s.is(PayoutStep.SUBMITTED)) {
                return s.event();
            }
        }
        return PayoutStep.paidOutAfter(file, overdue.event());
    }

    private static String signer(PayoutStep s) {
        return s.signer() != null ? s.signer() : s.role() != null ? s.role() : "signer";
    }

    private static String orUnknown(String s) {
        return s == null ? "?" : s;
    }
}
