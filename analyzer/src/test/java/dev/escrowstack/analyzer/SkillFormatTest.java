package dev.escrowstack.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.escrowstack.analyzer.diagnosis.Calls;
import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Finding;
import dev.escrowstack.analyzer.diagnosis.Pattern;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.EventReader;
import dev.escrowstack.analyzer.report.Comparison;

/** Files written by hand in the skill's format — its own examples — parse and diagnose. */
class SkillFormatTest {

    static EscrowFile skill(String name) throws IOException {
        return EventReader.read(Path.of("src/test/resources/skill", name));
    }

    @Test
    void patternAFromTheSkillsExample() throws IOException {
        EscrowFile file = skill("escrow_polluted.json");
        assertEquals("polluted", file.escrowId());
        assertEquals(1763020800000L, file.start(), "float seconds are read as ms");
        Diagnosis d = Diagnoser.diagnose(file);
        Finding f = d.primary();
        assertEquals(Pattern.A, f.pattern());
        assertEquals("buyer", f.role());
        assertEquals("buyer_wallet_abc123", f.walletId());
        assertEquals(1, f.round());
        assertEquals(18082, f.port());
        assertEquals("make_multisig", f.operation());
        assertEquals("SNAPSHOT_PRE_ROUND1", f.stateSource());
        assertEquals(true, f.stateBefore().get("multisig"));
        assertEquals("FAILED", d.status());
    }

    /**
     * The skill's systems write role "coordinator" on events of no wallet, and FILE_OPERATION and CUSTOM events:
     * read as no wallet, and as no wallet RPC call, the file diagnoses as the one without them.
     */
    @Test
    void coordinatorIsNoWalletAndFileOperationsAreNoCalls() throws IOException {
        String json = """
                [{"timestamp": 1763020800.0, "event_type": "STATE_CHANGE", "role": "coordinator", "details": {"state": "INITIALIZING"}},
                 {"timestamp": 1763020800.001, "event_type": "FILE_OPERATION", "role": "buyer", "rpc_port": 18082,
                  "details": {"operation": "open", "wallet_id": "w-1", "success": false, "duration_ms": 4, "error": "no such file"}},
                 {"timestamp": 1763020800.002, "event_type": "CUSTOM", "role": "coordinator", "details": {"name": "note"}},
                 {"timestamp": 1763020800.01, "event_type": "RPC_CALL_START", "role": "buyer", "rpc_port": 18082,
                  "details": {"method": "prepare_multisig", "timestamp": 1763020800.01}},
                 {"timestamp": 1763020800.09, "event_type": "RPC_CALL_END", "role": "buyer", "rpc_port": 18082,
                  "details": {"method": "prepare_multisig", "duration_ms": 80, "success": true}},
                 {"timestamp": 1763020800.1, "event_type": "STATE_CHANGE", "role": "coordinator", "details": {"state": "READY"}}]
                """;
        EscrowFile file = EventReader.read("inline", "coord", new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
        assertTrue(file.events().stream().filter(e -> e.is("STATE_CHANGE") || e.is("CUSTOM")).allMatch(e -> e.role() == null));
        assertEquals("buyer", file.events().get(1).role());
        assertEquals(1, Calls.of(file).size(), "a file operation is no wallet RPC call");
        assertTrue(Diagnoser.diagnose(file).clean());
    }

    @Test
    void patternCFromAddressHashes() throws IOException {
        Finding f = Diagnoser.diagnose(skill("escrow_diverged.json")).primary();
        assertEquals(Pattern.C, f.pattern());
        assertEquals("arbiter", f.role());
        assertEquals(1, f.round(), "the addresses parted right after make_multisig");
        assertTrue(f.evidence().get(0).contains("arbiter.address_hash: def456 ❌"), f.evidence().toString());
    }

    @Test
    void patternBNeedsBothFiles() throws IOException {
        EscrowFile one = skill("escrow_1.json");
        EscrowFile three = skill("escrow_3.json");
        // Alone, escrow 3 looks like cache pollution; together they show why: escrow 1 held the same instance.
        assertEquals(Pattern.A, Diagnoser.diagnose(three).primary().pattern());
        List<Diagnosis> both = Diagnoser.diagnose(List.of(one, three));
        Finding f3 = both.get(1).primary();
        assertEquals(Pattern.B, f3.pattern());
        assertEquals("buyer", f3.role());
        assertEquals(1, f3.round());
        assertEquals(18082, f3.port());
        assertEquals(List.of("1"), f3.otherEscrows());
        assertEquals(Pattern.B, both.get(0).primary().pattern(), "escrow 1 succeeded by luck: the race is still named");
    }

    @Test
    void cleanFileHasNoFinding() throws IOException {
        Diagnosis d = Diagnoser.diagnose(skill("escrow_clean.json"));
        assertTrue(d.clean(), () -> d.findings().toString());
    }

    @Test
    void compareFindsTheSkillsDivergence() throws IOException {
        Comparison c = Comparison.of(skill("escrow_1.json"), skill("escrow_3.json"));
        assertNotNull(c.divergenceIndex());
        assertEquals(6, c.divergenceIndex());
        assertEquals("RPC_CALL_END", c.divergedA().type());
        assertEquals("RPC_CALL_ERROR", c.divergedB().type());
        assertEquals(2, c.distribution().get("RPC_CALL_END")[1]);
    }
}
