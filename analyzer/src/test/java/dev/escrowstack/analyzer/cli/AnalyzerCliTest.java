package dev.escrowstack.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AnalyzerCliTest {

    private static final String SKILL = "src/test/resources/skill/";

    record Run(int status, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new AnalyzerCli(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8))
                .run(args);
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void defaultOutputNamesWalletRoundStateCauseAndFix() {
        Run r = run(SKILL + "escrow_polluted.json");
        assertEquals(AnalyzerCli.PROBLEM, r.status());
        assertTrue(r.out().contains("Diagnosis: Pattern A — RPC cache pollution"), r.out());
        assertTrue(r.out().contains("Wallet:        buyer (buyer_wallet_abc123), wallet-rpc port 18082"), r.out());
        assertTrue(r.out().contains("Round:         1, at make_multisig"), r.out());
        assertTrue(r.out().contains("State before:  SNAPSHOT_PRE_ROUND1"), r.out());
        assertTrue(r.out().contains("Fix:"), r.out());
    }

    @Test
    void timelineLinesLookLikeTheSkills() {
        Run r = run("--timeline", SKILL + "escrow_polluted.json");
        assertTrue(r.out().contains("[+0ms] SNAPSHOT_PRE_ROUND1 role=buyer port=18082 multisig=true"), r.out());
        assertTrue(r.out().lines().filter(l -> l.startsWith("[+0ms] SNAPSHOT_PRE_ROUND1 role=buyer")).allMatch(l -> l.endsWith("❌")));
    }

    @Test
    void cleanFileExitsZero() {
        Run r = run("--diagnose", SKILL + "escrow_clean.json");
        assertEquals(AnalyzerCli.OK, r.status(), r.out());
        assertTrue(r.out().contains("no problem found"), r.out());
    }

    @Test
    void globAcrossFilesFindsTheRace() throws IOException {
        Run r = run("--json", SKILL + "escrow_[13].json");
        assertEquals(AnalyzerCli.PROBLEM, r.status());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals(2, doc.path("escrows").size());
        for (JsonNode e : doc.path("escrows")) {
            assertEquals("B", e.path("diagnosis").path("findings").path(0).path("pattern").asText(), e.toString());
        }
        assertEquals(2, doc.path("summary").path("by_pattern").path("B").asInt());
    }

    @Test
    void compareTakesTwoFiles() {
        Run r = run("--compare", SKILL + "escrow_1.json", SKILL + "escrow_3.json");
        assertEquals(AnalyzerCli.PROBLEM, r.status());
        assertTrue(r.out().contains("Divergence at event #6"), r.out());
        assertTrue(r.out().contains("File 2: [RPC_CALL_ERROR] role=buyer"), r.out());
        assertEquals(AnalyzerCli.USAGE, run("--compare", SKILL + "escrow_1.json").status());
    }

    @Test
    void badInputIsAClearError(@TempDir Path dir) throws IOException {
        assertEquals(AnalyzerCli.USAGE, run("--bogus", SKILL + "escrow_1.json").status());
        assertEquals(AnalyzerCli.USAGE, run().status());
        assertEquals(AnalyzerCli.USAGE, run(dir + "/escrow_*.json").status(), "a glob that matches nothing");
        Run missing = run(dir.resolve("escrow_nope.json").toString());
        assertEquals(AnalyzerCli.UNREADABLE, missing.status());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Path broken = Files.writeString(dir.resolve("escrow_broken.json"), "{\"not\": \"events\"}");
        assertEquals(AnalyzerCli.UNREADABLE, run(broken.toString()).status());
    }

    @Test
    void aDirectoryMeansItsEscrowFiles() {
        Run r = run("--errors-only", SKILL);
        assertTrue(r.out().contains("=== " + SKILL + "escrow_clean.json ===\nNo errors."), r.out());
        assertEquals(AnalyzerCli.PROBLEM, r.status());
    }
}
