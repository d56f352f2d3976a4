package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * A payout step refused because a party has not imported the epoch's multisig infos ({@code stale} steps). A
 * problem only while not mended: the party's later import of that epoch (or a later one), an accepted transaction
 * set of that epoch or later, or the payout's end mends it — then it is a HEALED finding, as an abandoned setup
 * attempt is: seen, not a failure. A party stale in a later epoch is reported for that epoch only.
 */
final class StaleMultisig {

    static final String WHY = "A multisig wallet builds or signs a transaction only on the other participants' latest"
            + " export_multisig_info: a set made on stale infos cannot be signed by the others or fails when submitted. The"
            + " service refuses it before anyone signs, so nothing is lost: the party only has to sync the epoch.";

    private StaleMultisig() {
    }

    /** One finding per epoch with stale parties: STALE_MULTISIG naming those not mended, else HEALED. */
    static List<Finding> find(EscrowFile file, List<PayoutStep> steps) {
        Map<Long, List<PayoutStep>> byEpoch = new LinkedHashMap<>();
        steps.stream().filter(s -> s.is(PayoutStep.STALE)).forEach(s -> byEpoch.computeIfAbsent(s.epoch(), e -> new ArrayList<>()).add(s));
        Map<String, Long> latestUnmended = new LinkedHashMap<>();
        Map<Long, List<String>> unmendedByEpoch = new LinkedHashMap<>();
        byEpoch.forEach((epoch, refusals) -> {
            List<String> open = roles(refusals).stream().filter(r -> mendedBy(file, steps, r, epoch, refusals.get(0)) == null).toList();
            unmendedByEpoch.put(epoch, open);
            open.forEach(r -> latestUnmended.merge(r, epoch, Math::max));
        });
        List<Finding> findings = new ArrayList<>();
        byEpoch.forEach((epoch, refusals) -> {
            List<String> unmended = unmendedByEpoch.get(epoch);
            // A party stale again in a later epoch is that epoch's problem: the earlier refusal no longer holds it up.
            List<String> open = unmended.stream().filter(r -> latestUnmended.get(r).equals(epoch)).toList();
            if (unmended.isEmpty()) {
                findings.add(healed(file, steps, epoch, refusals));
            } else if (!open.isEmpty()) {
                findings.add(stale(file, steps, epoch, refusals, open));
            }
        });
        return findings;
    }

    /** The stale parties of these refusals: each one's stale_roles, or its role when it names none. */
    private static List<String> roles(List<PayoutStep> refusals) {
        Set<String> roles = new LinkedHashSet<>();
        for (PayoutStep s : refusals) {
            if (s.staleRoles().isEmpty() && s.role() != null) {
                roles.add(s.role());
            }
            roles.addAll(s.staleRoles());
        }
        return List.copyOf(roles);
    }

    /** What mended {@code role}'s staleness in {@code epoch} after the first refusal, or null while nothing did. */
    static Event mendedBy(EscrowFile file, List<PayoutStep> steps, String role, long epoch, PayoutStep first) {
        for (PayoutStep s : steps) {
            if (s.event().index() <= first.event().index() || s.epoch() < epoch) {
                continue;
            }
            if (s.is(PayoutStep.SYNC_IMPORTED) && role.equals(s.role()) || s.acceptedTxSet()) {
                return s.event();
            }
        }
        return PayoutStep.paidOutAfter(file, first.event());
    }

    private static List<String> evidence(EscrowFile file, List<PayoutStep> refusals) {
        List<String> evidence = new ArrayList<>();
        for (PayoutStep s : refusals) {
            // escrow-service's reason says who had not imported before what; without one, the stale roles say who.
            evidence.add(PayoutFindings.at(file, s.event()) + " " + s.kind() + " refused at epoch " + s.epoch() + ": " + (s.reason() != null
                    ? s.reason() : PayoutFindings.parties(s.staleRoles().isEmpty() && s.role() != null ? List.of(s.role()) : s.staleRoles())
                            + " had not imported its infos"));
        }
        return evidence;
    }

    private static Finding stale(EscrowFile file, List<PayoutStep> steps, long epoch, List<PayoutStep> refusals, List<String> open) {
        PayoutStep first = refusals.get(0);
        List<String> evidence = evidence(file, refusals);
        for (String role : roles(refusals)) {
            Event mended = open.contains(role) ? null : mendedBy(file, steps, role, epoch, first);
            if (mended != null) {
                evidence.add(PayoutFindings.at(file, mended) + " the " + role + " caught up: " + what(mended));
            }
        }
        String who = PayoutFindings.parties(open);
        String cause = capitalized(who) + (open.size() > 1 ? " have" : " has") + " not imported epoch " + epoch
                + "'s multisig infos, so the " + first.kind() + " was refused before anything was signed; nothing since shows "
                + (open.size() > 1 ? "them" : "it")
                + " caught up";
        String fix = "Have " + who + " run " + (open.size() > 1 ? "their" : "its") + " client's sync for epoch " + epoch
                + " (export_multisig_info, PUT …/sync/" + epoch + ", wait until the epoch is complete, import_multisig_info, PUT …/sync/"
                + epoch + "/imported; tools/escrow-party does it before building or signing), then build or ask to sign again. An epoch"
                + " that is not current any more (409 epoch-not-current) means: sync the current one instead.";
        return PayoutFindings.finding(Pattern.STALE_MULTISIG, file, open.get(0), first, first.error() == null ? first.reason()
                : first.error(), evidence, cause, fix, WHY);
    }

    private static Finding healed(EscrowFile file, List<PayoutStep> steps, long epoch, List<PayoutStep> refusals) {
        PayoutStep first = refusals.get(0);
        List<String> roles = roles(refusals);
        List<String> evidence = evidence(file, refusals);
        for (String role : roles) {
            Event mended = mendedBy(file, steps, role, epoch, first);
            evidence.add(PayoutFindings.at(file, mended) + " the " + role + " caught up: " + what(mended));
        }
        String cause = "healed: " + PayoutFindings.parties(roles) + (roles.size() > 1 ? " were" : " was") + " refused as stale at epoch "
                + epoch + " (" + first.kind() + ") and caught up later";
        return PayoutFindings.finding(Pattern.HEALED, file, roles.isEmpty() ? first.role() : roles.get(0), first, first.error(), evidence,
                cause, "Nothing to do for this escrow: the party synced and the payout went on. If it recurs, have the party's client"
                        + " sync the epoch before it builds or asks to sign (tools/escrow-party does).", WHY);
    }

    private static String what(Event e) {
        PayoutStep s = e.is(EventTypes.PARTY_PAYOUT) ? PayoutStep.of(e) : null;
        if (s == null) {
            return "the payout ended " + e.text("state");
        }
        return s.is(PayoutStep.SYNC_IMPORTED) ? "imported epoch " + s.epoch() + "'s infos"
                : "the " + s.role() + "'s transaction set of epoch " + s.epoch() + " was accepted";
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
