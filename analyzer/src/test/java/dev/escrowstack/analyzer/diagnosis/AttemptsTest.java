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
 * A custodial setup that started over after a fault, on events as trace-exporter writes them from escrow-service's
 * escrow.attempt.abandoned span (ReliabilityIT kills the real wallet-rpc and reads the real files).
 */
class AttemptsTest {

    private final List<Event> events = new ArrayList<>();

    private void add(long t, String type, String role, Integer port, Map<String, Object> details) {
        events.add(new Event(events.size(), "t", t, type, role, port, details));
    }

    private void call(long t, String role, int port, String wallet, String method, int round, String error) {
        String span = "s" + events.size();
        add(t, EventTypes.RPC_CALL_START, role, port, Map.of("method", method, "span_id", span, "wallet_id", wallet, "round", round));
        Map<String, Object> end = new LinkedHashMap<>(Map.of("method", method, "span_id", span, "round", round, "wallet_id", wallet,
                "duration_ms", 5, "success", error == null));
        if (error != null) {
            end.put("error", error);
        }
        add(t + 5, error == null ? EventTypes.RPC_CALL_END : EventTypes.RPC_CALL_ERROR, role, port, end);
    }

    private void abandon(long t, int attempt, String role, int round) {
        add(t, EventTypes.ATTEMPT_ABANDONED, role, null, Map.of("attempt", attempt, "fault", "wallet-process-crashed", "round", round,
                "operation", "exchange_multisig_keys", "wallet_id", "w-" + role + attempt,
                "wallets", Map.of("buyer", "w-buyer" + attempt, "vendor", "w-vendor" + attempt, "arbiter", "w-arbiter" + attempt),
                "reason", "monero-wallet-rpc serving the " + role + " wallet exited during exchange_multisig_keys"));
    }

    private Diagnosis diagnose() {
        return Diagnoser.diagnose(new EscrowFile("escrow_esc-h.json", "esc-h", List.copyOf(events)));
    }

    /** Attempt 1: every wallet's round 1, then the vendor's wallet-rpc dies under round 2's exchange. */
    private void firstAttemptCrashes() {
        add(0, EventTypes.STATE_CHANGE, null, null, Map.of("state", "INITIALIZING"));
        for (String role : List.of("buyer", "vendor", "arbiter")) {
            call(10, role, role.equals("vendor") ? 18851 : 18850, "w-" + role + "1", "make_multisig", 1, null);
        }
        call(100, "buyer", 18850, "w-buyer1", "exchange_multisig_keys", 2, null);
        call(100, "vendor", 18851, "w-vendor1", "exchange_multisig_keys", 2, "monero-wallet-rpc exited during exchange_multisig_keys");
        abandon(200, 1, "vendor", 2);
    }

    @Test
    void aSetupThatStartedOverAndEndedReadyIsHealedNeitherCleanNorFailed() {
        firstAttemptCrashes();
        int port = 18852;
        for (String role : List.of("buyer", "vendor", "arbiter")) {
            call(300, role, port++, "w-" + role + "2", "exchange_multisig_keys", 3, null); // each wallet on its own process
        }
        add(400, EventTypes.STATE_CHANGE, null, null, Map.of("state", "READY"));
        Diagnosis d = diagnose();
        assertFalse(d.clean(), d.toString());
        assertFalse(d.failed(), "the crashed call is the abandoned attempt's, not a failure: " + d);
        assertTrue(d.healed());
        assertNull(d.primary(), "no root cause: nothing failed");
        Finding h = d.healedAttempts().get(0);
        assertEquals(Pattern.HEALED, h.pattern());
        assertEquals("vendor", h.role());
        assertEquals(2, h.round());
        assertEquals("w-vendor1", h.walletId());
        assertEquals(18851, h.port(), "the port of the call the fault hit");
        assertEquals("healed after a wallet-rpc crash in round 2 on the vendor wallet: attempt 1 was abandoned and the setup"
                + " started over on three new wallets (READY)", h.cause());
        assertTrue(h.evidence().stream().anyMatch(e -> e.contains("w-buyer1") && e.contains("never handed out as new again")), h.evidence().toString());
    }

    @Test
    void aLastAttemptThatFailsIsDiagnosedOnItsOwnCallsWithTheHealedAttemptBeside() {
        firstAttemptCrashes();
        call(300, "buyer", 18853, "w-buyer2", "make_multisig", 1, "This wallet is already multisig");
        add(400, EventTypes.STATE_CHANGE, null, null, Map.of("state", "FAILED"));
        Diagnosis d = diagnose();
        assertTrue(d.failed());
        assertFalse(d.healed());
        assertEquals("buyer", d.primary().role(), "the last attempt's failure, not the abandoned one's crash: " + d);
        assertEquals("make_multisig", d.surfaced().operation());
        assertEquals(List.of(Pattern.HEALED), d.healedAttempts().stream().map(Finding::pattern).toList());
    }

    @Test
    void withoutAbandonedAttemptsNothingChanges() {
        add(0, EventTypes.STATE_CHANGE, null, null, Map.of("state", "INITIALIZING"));
        call(100, "vendor", 18851, "w-v", "exchange_multisig_keys", 2, "monero-wallet-rpc exited during exchange_multisig_keys");
        add(400, EventTypes.STATE_CHANGE, null, null, Map.of("state", "FAILED"));
        Diagnosis d = diagnose();
        assertTrue(d.failed());
        assertEquals(Pattern.UNEXPLAINED, d.primary().pattern());
        assertEquals(List.of(), d.healedAttempts());
    }
}
