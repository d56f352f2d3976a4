package dev.escrowstack.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;

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
