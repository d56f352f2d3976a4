package dev.escrowstack.analyzer.diagnosis;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * A payout the parties make, on PARTY_PAYOUT events as trace-exporter writes them from escrow-service's
 * escrow.party.payout spans: each finding names the party, and a step mended later is HEALED, not a failure.
 */
class PartyPayoutsTest {

    private final List<Event> events = new ArrayList<>();

    private void state(long t, String state) {
        events.add(new Event(events.size(), "t", t, EventTypes.STATE_CHANGE, null, null, Map.of("state", state)));
    }

    /** A step: key, value, … after the step and its epoch; "success" false when an "error" is given. */
    private void step(long t, String role, String step, long epoch, Object... kv) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("step", step);
        d.put("epoch", epoch);
        for (int i = 0; i < kv.length; i += 2) {
            d.put((String) kv[i], kv[i + 1]);
        }
        d.put("success", !d.containsKey("error"));
        events.add(new Event(events.size(), "t", t, EventTypes.PARTY_PAYOUT, role, null, d));
    }

    private Diagnosis diagnose() {
        return Diagnoser.diagnose(new EscrowFile("escrow_esc-pay.json", "esc-pay", List.copyOf(events)));
    }

    private void funded() {
        state(0, "READY");
        state(1000, "FUNDED");
        step(2000, null, "sync-opened", 1, "operation", "release");
    }

    private void staleBuyer(long t, long epoch) {
        step(t, "buyer", "stale", epoch, "operation", "release", "stale_roles", "buyer", "reason", "the buyer did not import epoch " + epoch
                + "'s infos before the vendor's transaction set",
                "error", "stale-multisig-data: the buyer has not imported epoch " + epoch + "'s infos");
    }

    @Test
    void aPartyThatHasNotImportedTheEpochIsStaleWhileNothingMendsIt() {
        funded();
        step(2100, "vendor", "sync-imported", 1, "operation", "release");
        staleBuyer(3000, 1);
        Diagnosis d = diagnose();
        assertTrue(d.failed(), d.toString());
        Finding f = d.primary();
        assertEquals(Pattern.STALE_MULTISIG, f.pattern());
        assertEquals("buyer", f.role());
        assertEquals("release", f.operation());
        assertEquals(1L, f.stateBefore().get("epoch"));
        assertTrue(f.cause().startsWith("The buyer has not imported epoch 1's multisig infos, so the release was refused"), f.cause());
        assertTrue(f.evidence().get(0).contains("release refused at epoch 1: the buyer did not import epoch 1's infos before the vendor's"
                + " transaction set"), f.evidence().toString());
        assertTrue(f.fix().contains("sync for epoch 1"), f.fix());
    }

    @Test
    void aStalePartyThatImportedLaterIsHealedNotFailed() {
        funded();
        staleBuyer(3000, 1);
        step(4000, "buyer", "sync-imported", 1, "operation", "release");
        Diagnosis d = diagnose();
        assertFalse(d.failed(), d.toString());
        assertTrue(d.healed());
        assertNull(d.primary());
        Finding h = d.healedAttempts().get(0);
        assertEquals(Pattern.HEALED, h.pattern());
        assertEquals("buyer", h.role());
        assertTrue(h.cause().startsWith("healed: the buyer was refused as stale at epoch 1 (release) and caught up later"), h.cause());
        assertTrue(h.evidence().get(1).contains("the buyer caught up: imported epoch 1's infos"), h.evidence().toString());
    }

    @Test
    void anAcceptedSetOrThePayoutsEndMendsAStaleParty() {
        funded();
        staleBuyer(3000, 1);
        step(5000, "vendor", "txset", 1, "operation", "release", "outcome", "ACCEPTED");
        assertTrue(diagnose().healed(), diagnose().toString());
        events.clear();
        funded();
        staleBuyer(3000, 1);
        state(9000, "RELEASED");
        assertTrue(diagnose().healed(), diagnose().toString());
    }

    @Test
    void anImportOfAnEarlierEpochDoesNotMendALaterOne() {
        funded();
        step(2500, "buyer", "sync-imported", 1, "operation", "release");
        staleBuyer(3000, 2);
        step(3500, "buyer", "sync-imported", 1, "operation", "release");
        assertEquals(Pattern.STALE_MULTISIG, diagnose().primary().pattern());
    }

    @Test
    void aPartyStaleAgainInALaterEpochIsReportedForThatEpochOnly() {
        funded();
        staleBuyer(3000, 1);
        staleBuyer(6000, 2);
        Diagnosis d = diagnose();
        List<Finding> stale = d.findings().stream().filter(f -> f.pattern() == Pattern.STALE_MULTISIG).toList();
        assertEquals(1, stale.size(), d.toString());
        assertEquals(2L, stale.get(0).stateBefore().get("epoch"));
    }

    @Test
    void aTransactionSetPayingAnotherAddressIsRefusedNamingItsSender() {
        funded();
        step(5000, "vendor", "txset", 1, "operation", "release", "outcome", "REFUSED",
                "reason", "pays another address than the vendor's recorded payout address", "txset_sha256", "7a7a7a7a7a7a7a7a7a",
                "destination_sha256", "d1d1d1d1d1d1d1d1d1d1", "expected_sha256", "e2e2e2e2e2e2e2e2e2e2", "error", "txset-refused");
        step(5010, null, "sync-opened", 2, "operation", "release");
        Diagnosis d = diagnose();
        Finding f = d.primary();
        assertEquals(Pattern.TXSET_REFUSED, f.pattern());
        assertEquals("vendor", f.role());
        assertEquals("The vendor sent a transaction set (sha256 7a7a7a7a7a7a…) that pays another address (sha256 d1d1d1d1d1d1…) than"
                + " the vendor's recorded payout address (sha256 e2e2e2e2e2e2…); the release was refused at epoch 1 before anyone signed",
                f.cause());
        assertTrue(f.evidence().get(1).endsWith("❌"), f.evidence().toString());
        assertTrue(f.fix().contains("compromised or misconfigured") && f.fix().contains("syncs the new epoch")
                && f.fix().contains("tools/escrow-party"), f.fix());
    }

    @Test
    void aRefusedSetStaysAFindingAfterTheReleaseWentThrough() {
        funded();
        step(5000, "vendor", "txset", 1, "operation", "release", "outcome", "REFUSED", "reason", "pays another address", "error", "refused");
        step(9000, "vendor", "txset", 2, "operation", "release", "outcome", "ACCEPTED");
        state(12000, "RELEASED");
        Finding f = diagnose().primary();
        assertEquals(Pattern.TXSET_REFUSED, f.pattern());
        assertTrue(f.cause().endsWith("that was refused: pays another address; the release was refused at epoch 1 before anyone signed"),
                f.cause());
    }

    @Test
    void aWinnerWhoDoesNotSignTheArbitersPayoutIsOverdue() {
        state(0, "DISPUTED");
        step(1000, "buyer", "signature-awaited", 2, "operation", "resolve_buyer", "signer", "buyer", "since", "2026-11-30T14:00:00Z",
                "deadline", "2026-11-30T14:10:00Z");
        step(601_000, "buyer", "signer-overdue", 2, "operation", "resolve_buyer", "signer", "buyer", "since", "2026-11-30T14:00:00Z",
                "deadline", "2026-11-30T14:10:00Z", "error", "the buyer has not signed within 10 min");
        Diagnosis d = diagnose();
        Finding f = d.primary();
        assertEquals(Pattern.SIGNER_OVERDUE, f.pattern());
        assertEquals("buyer", f.role());
        assertEquals("resolve_buyer", f.operation());
        assertTrue(f.cause().startsWith("The winner (buyer) has not signed the arbiter's payout since 2026-11-30T14:00:00Z (deadline"
                + " 2026-11-30T14:10:00Z)"), f.cause());
        assertTrue(f.fix().startsWith("Contact the buyer") && f.fix().contains("POST /api/escrow/esc-pay/resolve again"), f.fix());
        assertTrue(f.rationale().contains("Bisq"), f.rationale());
    }

    @Test
    void aSignerWhoSignedAfterTheDeadlineIsHealed() {
        state(0, "DISPUTED");
        step(601_000, "buyer", "signer-overdue", 2, "operation", "resolve_buyer", "signer", "buyer", "since", "2026-11-30T14:00:00Z",
                "deadline", "2026-11-30T14:10:00Z", "error", "overdue");
        step(700_000, "buyer", "submitted", 2, "operation", "resolve_buyer");
        Diagnosis d = diagnose();
        assertTrue(d.healed(), d.toString());
        assertTrue(d.healedAttempts().get(0).cause().startsWith("healed: the buyer signed the resolve_buyer after its deadline"),
                d.healedAttempts().get(0).cause());
    }

    @Test
    void aReleaseSignerIsNamedAsSuchAndPointedToADispute() {
        funded();
        step(601_000, "buyer", "signer-overdue", 1, "operation", "release", "signer", "buyer", "since", "s", "deadline", "d", "error", "x");
        Finding f = diagnose().primary();
        assertTrue(f.cause().startsWith("The buyer has not signed the vendor's release since s (deadline d)"), f.cause());
        assertTrue(f.fix().contains("/dispute"), f.fix());
    }

    @Test
    void aPayoutWithoutRefusalsHasNoFinding() {
        funded();
        step(2100, "vendor", "sync-export", 1, "operation", "release", "outcome", "NEW");
        step(2200, "buyer", "sync-imported", 1, "operation", "release");
        step(3000, "vendor", "txset", 1, "operation", "release", "outcome", "ACCEPTED");
        step(3100, "buyer", "submitted", 1, "operation", "release");
        state(4000, "RELEASED");
        assertTrue(diagnose().clean(), diagnose().toString());
    }
}
