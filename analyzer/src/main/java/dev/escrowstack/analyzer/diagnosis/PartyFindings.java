package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * A non-custodial setup's own failures, from its PARTY_MESSAGE events and its ERROR_FINAL (docs/parties.md):
 * a party that did not send its round in time (STALLED), a party that sent a different info for a round
 * it had already sent, one for another round, or one made by another wallet than its first (STALE), and a
 * party whose address differs from the others' (Pattern C, the party named).
 */
final class PartyFindings {

    static final String FIX_STALLED = "Ask the party named to run its client again (tools/escrow-party picks up where it stopped;"
            + " a lost token is replaced with POST /api/escrow/<id>/parties/<role>/token); this escrow has FAILED, so open a new one"
            + " and, if parties are often slow, a longer escrow.parties.round-timeout.";
    static final String WHY_STALLED = "Each round waits for all three participants; a deadline keeps an absent party from holding"
            + " an escrow (and the arbiter's wallet) forever, and naming it tells the marketplace whom to contact.";
    static final String FIX_STALE = "Run one client per party and wallet, and keep its state (tools/escrow-party's --state-dir):"
            + " a party's info for a round is produced once; a second, different one comes from another wallet, a restored or"
            + " re-created wallet, or a second client driving the same one.";
    static final String WHY_STALE = "The first info of a round counts (later ones are refused with 409), as in Haveno: accepting a"
            + " different one would let the parties' keys drift apart, which only shows rounds later as a failed exchange.";

    static final String FIX_OTHER_WALLET = "Have the party named open a new escrow and run one client against one wallet from round 1"
            + " to the end (tools/escrow-party keeps its wallet and state in --state-dir): a wallet re-created or restored mid-setup,"
            + " or a second wallet's info pasted in, signs with another key.";
    static final String WHY_OTHER_WALLET = "Every kex message is signed by its participant's wallet key, the same in every round; the"
            + " mailbox compares it with the party's round-1 info before any wallet sees the message, so the party is named now, not"
            + " the arbiter's wallet failing an exchange later.";

    private PartyFindings() {
    }

    static List<Finding> find(EscrowFile file) {
        List<Finding> findings = new ArrayList<>();
        stalled(file).ifPresent(findings::add);
        divergedAddress(file).ifPresent(findings::add);
        otherWallet(file).ifPresent(findings::add);
        stale(file).ifPresent(findings::add);
        return findings;
    }

    private static Optional<Finding> stalled(EscrowFile file) {
        Event end = finalError(file, "stalled");
        if (end == null) {
            return Optional.empty();
        }
        Map<String, Object> context = end.map("context");
        Integer round = context.get("round") instanceof Number n ? n.intValue() : null;
        String role = context.get("wallet") == null ? null : String.valueOf(context.get("wallet"));
        List<String> evidence = new ArrayList<>();
        for (Event m : file.events()) {
            if (m.is(EventTypes.PARTY_MESSAGE) && round != null && round.equals(intOf(m.number("round")))) {
                evidence.add(Texts.at(file, m) + " the " + m.role() + " sent round " + round + " (sha256 " + Texts.shortHash(m.text("sha256"))
                        + ")");
            }
        }
        evidence.add(Texts.at(file, end) + " " + end.text("error"));
        String cause = (role == null ? "The parties" : "The " + role) + " did not send round " + round + " before its deadline: "
                + end.text("error");
        return Optional.of(new Finding(Pattern.STALLED, file.escrowId(), role, null, null, round, "round " + round, end.text("error"), null,
                Map.of(), evidence, cause, FIX_STALLED, WHY_STALLED, List.of()));
    }

    private static Optional<Finding> divergedAddress(EscrowFile file) {
        Event end = finalError(file, "address");
        if (end == null) {
            return Optional.empty();
        }
        String role = String.valueOf(end.map("context").get("wallet"));
        List<String> evidence = new ArrayList<>();
        for (Event m : file.events()) {
            if (m.is(EventTypes.PARTY_MESSAGE) && intOf(m.number("round")) == 4) {
                evidence.add("the " + m.role() + " reported address sha256 " + Texts.shortHash(m.text("sha256")));
            }
        }
        evidence.add(end.text("error"));
        return Optional.of(new Finding(Pattern.C, file.escrowId(), role, null, null, 3, "exchange_multisig_keys", end.text("error"), null,
                Map.of(), evidence, "The " + role + "'s wallet computed another multisig address than the arbiter's: it did not use the"
                        + " infos the others exchanged, so its keys diverged (" + end.text("error") + ")",
                Texts.FIX_C, Texts.WHY_C, List.of()));
    }

    /**
     * An info signed by another wallet key than the party's round-1 info (escrow-service fails the escrow at
     * once, operation {@code wrong-info}): the signing keys' hashes of the party's messages are the evidence.
     */
    private static Optional<Finding> otherWallet(EscrowFile file) {
        Event end = finalError(file, "wrong-info");
        if (end == null) {
            return Optional.empty();
        }
        Map<String, Object> context = end.map("context");
        String role = String.valueOf(context.get("wallet"));
        int round = context.get("round") instanceof Number n ? n.intValue() : 0;
        List<String> evidence = new ArrayList<>();
        for (Event m : file.events()) {
            if (m.is(EventTypes.PARTY_MESSAGE) && role.equals(m.role()) && m.text("signer_sha256") != null) {
                evidence.add(Texts.at(file, m) + " the " + role + "'s round-" + intOf(m.number("round")) + " info (sha256 "
                        + Texts.shortHash(m.text("sha256")) + ") signed by wallet key sha256 " + Texts.shortHash(m.text("signer_sha256"))
                        + (m.text("error") == null ? "" : ": refused"));
            }
        }
        evidence.add(Texts.at(file, end) + " " + end.text("error"));
        return Optional.of(new Finding(Pattern.STALE, file.escrowId(), role, null, null, round, "round " + round, end.text("error"), null,
                Map.of(), evidence, "The " + role + " sent a round-" + round + " info made by another wallet than its round-1 info: the"
                        + " two cannot belong to one 2-of-3 setup, so the escrow failed at once",
                FIX_OTHER_WALLET, WHY_OTHER_WALLET, List.of()));
    }

    /** A different info for a round already sent (refused), or an info for another round. */
    private static Optional<Finding> stale(EscrowFile file) {
        List<String> evidence = new ArrayList<>();
        Event first = null;
        for (Event m : file.events()) {
            if (!m.is(EventTypes.PARTY_MESSAGE)) {
                continue;
            }
            boolean differs = "DIFFERS".equals(m.text("outcome"));
            boolean outOfStep = m.text("error") != null && m.text("error").contains("another round");
            if (differs || outOfStep) {
                first = first == null ? m : first;
                evidence.add(Texts.at(file, m) + " the " + m.role() + (differs ? " sent a different round-" + intOf(m.number("round"))
                        + " info (sha256 " + Texts.shortHash(m.text("sent_sha256")) + ") after its first (sha256 "
                        + Texts.shortHash(m.text("sha256")) + "): refused" : " sent an info for another round as round "
                        + intOf(m.number("round")) + ": refused"));
            }
        }
        if (first == null) {
            return Optional.empty();
        }
        int round = intOf(first.number("round"));
        return Optional.of(new Finding(Pattern.STALE, file.escrowId(), first.role(), null, null, round, "round " + round,
                first.text("error"), null, Map.of(), evidence, "The " + first.role() + " sent data for round " + round
                        + " that is not what it sent first, or not for this round: its client or wallet is out of step with the setup",
                FIX_STALE, WHY_STALE, List.of()));
    }

    private static Event finalError(EscrowFile file, String operation) {
        for (Event e : file.events()) {
            if (e.is(EventTypes.ERROR_FINAL) && operation.equals(e.map("context").get("operation"))) {
                return e;
            }
        }
        return null;
    }

    private static int intOf(Long n) {
        return n == null ? 0 : n.intValue();
    }
}
