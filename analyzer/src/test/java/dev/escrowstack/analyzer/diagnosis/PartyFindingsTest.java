package dev.escrowstack.analyzer.diagnosis;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * The non-custodial setup's findings, on events as trace-exporter writes them from escrow-service's
 * escrow.party.message and escrow.parties.outcome spans (PartiesSetupTest runs the real thing).
 */
class PartyFindingsTest {

    private final List<Event> events = new ArrayList<>();

    private void add(long t, String type, String role, Map<String, Object> details) {
        events.add(new Event(events.size(), "t", t, type, role, null, details));
    }

    private Diagnosis diagnose() {
        return Diagnoser.diagnose(new EscrowFile("escrow_esc-p.json", "esc-p", List.copyOf(events)));
    }

    @Test
    void aPartyThatDoesNotSendItsRoundInTimeIsNamed() {
        add(0, EventTypes.STATE_CHANGE, null, Map.of("state", "AWAITING_PARTIES"));
        add(100, EventTypes.PARTY_MESSAGE, "buyer", Map.of("round", 1, "sha256", "aa11", "size", 200, "outcome", "NEW"));
        add(40_000, EventTypes.STATE_CHANGE, null, Map.of("state", "FAILED"));
        add(40_000, EventTypes.ERROR_FINAL, "vendor", Map.of("error", "stalled: the vendor did not send round 1 within 40 s",
                "context", Map.of("round", 1, "operation", "stalled", "wallet", "vendor")));
        Finding f = diagnose().primary();
        assertEquals(Pattern.STALLED, f.pattern());
        assertEquals("vendor", f.role());
        assertEquals(1, f.round());
        assertTrue(f.evidence().get(0).contains("the buyer sent round 1"), f.evidence().toString());
        assertTrue(f.cause().startsWith("The vendor did not send round 1"), f.cause());
    }

    @Test
    void aDifferentInfoForARoundAlreadySentIsStaleData() {
        add(0, EventTypes.PARTY_MESSAGE, "vendor", Map.of("round", 2, "sha256", "bb22", "size", 200, "outcome", "NEW"));
        add(50, EventTypes.PARTY_MESSAGE, "vendor", Map.of("round", 2, "sha256", "bb22", "sent_sha256", "cc33", "size", 200,
                "outcome", "DIFFERS", "success", false, "error", "a different info for round 2"));
        Diagnosis d = diagnose();
        assertEquals(Pattern.STALE, d.primary().pattern());
        assertEquals("vendor", d.primary().role());
        assertEquals(2, d.primary().round());
        assertTrue(d.primary().evidence().get(0).contains("different round-2 info (sha256 cc33) after its first (sha256 bb22)"),
                d.primary().evidence().toString());
    }

    @Test
    void anInfoSignedByAnotherWalletNamesThePartyWithBothKeys() {
        add(0, EventTypes.PARTY_MESSAGE, "vendor", Map.of("round", 1, "sha256", "aa11", "signer_sha256", "5151", "outcome", "NEW"));
        add(10, EventTypes.PARTY_MESSAGE, "buyer", Map.of("round", 1, "sha256", "bb22", "signer_sha256", "6161", "outcome", "NEW"));
        add(50, EventTypes.PARTY_MESSAGE, "vendor", Map.of("round", 2, "sha256", "cc33", "signer_sha256", "7171", "success", false,
                "error", "the vendor's round-2 info was made by another wallet than its round-1 info"));
        add(50, EventTypes.ERROR_FINAL, "vendor", Map.of("error", "the vendor's round-2 info was made by another wallet than its round-1"
                + " info", "context", Map.of("round", 2, "operation", "wrong-info", "wallet", "vendor")));
        Diagnosis d = diagnose();
        Finding f = d.primary();
        assertEquals(Pattern.STALE, f.pattern());
        assertEquals("vendor", f.role());
        assertEquals(2, f.round());
        assertEquals(1, d.findings().size(), "one finding, not also the refusal as a second: " + d.findings());
        assertTrue(f.evidence().get(0).contains("round-1 info (sha256 aa11) signed by wallet key sha256 5151"), f.evidence().toString());
        assertTrue(f.evidence().get(1).contains("round-2 info (sha256 cc33) signed by wallet key sha256 7171: refused"),
                f.evidence().toString());
        assertTrue(f.cause().contains("made by another wallet"), f.cause());
        assertTrue(f.fix().contains("one client against one wallet"), f.fix());
    }

    @Test
    void anAddressThatDiffersNamesTheParty() {
        add(0, EventTypes.PARTY_MESSAGE, "buyer", Map.of("round", 4, "sha256", "dd44", "outcome", "NEW"));
        add(10, EventTypes.ERROR_FINAL, "buyer", Map.of("error", "address: the buyer reported a multisig address other than the arbiter's",
                "context", Map.of("round", 4, "operation", "address", "wallet", "buyer")));
        Finding f = diagnose().primary();
        assertEquals(Pattern.C, f.pattern());
        assertEquals("buyer", f.role());
    }

    @Test
    void aSetupWithoutRefusalsOrDeadlinesHasNoPartyFinding() {
        add(0, EventTypes.PARTY_MESSAGE, "buyer", Map.of("round", 1, "sha256", "aa11", "outcome", "NEW"));
        add(10, EventTypes.PARTY_MESSAGE, "buyer", Map.of("round", 1, "sha256", "aa11", "outcome", "SAME"));
        add(20, EventTypes.STATE_CHANGE, null, Map.of("state", "READY"));
        assertTrue(diagnose().clean(), diagnose().toString());
    }
}
