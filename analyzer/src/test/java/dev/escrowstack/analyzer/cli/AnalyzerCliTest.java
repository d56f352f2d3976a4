package dev.escrowstack.analyzer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class AnalyzerCliTest {

    private static final String SKILL = "src/test/resources/skill/";
    /** Real runs with a fault switched on (see RecordedEscrowsTest). */
    private static final String RECORDED = "src/test/resources/recorded/";

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

    /** Pattern C, the view the skill points to: the arbiter got its own info, so its multisig address differs. */
    @Test
    void snapshotsOnlyMarksTheDivergentAddress() throws IOException {
        for (Path file : files("pattern-c")) {
            String out = run("--snapshots-only", file.toString()).out();
            List<String> arbiter = out.lines().filter(l -> l.contains("SNAPSHOT_POST_MAKE_MULTISIG role=arbiter")).toList();
            assertEquals(1, arbiter.size(), out);
            assertTrue(arbiter.get(0).endsWith("❌ address_hash differs from the buyer's and vendor's"), out);
            assertTrue(out.lines().filter(l -> l.contains("SNAPSHOT_POST_MAKE_MULTISIG role=buyer")).allMatch(l -> l.endsWith("✅")), out);
            // The skill's own symptom lines, then what they mean.
            assertTrue(out.lines().anyMatch(l -> l.matches("arbiter\\.address_hash: \\S+ ❌")), out);
            assertTrue(out.lines().anyMatch(l -> l.matches("buyer\\.address_hash: {3}\\S+")), out);
            assertTrue(out.contains("incorrect infos were sent to the arbiter (Pattern C"), out);
        }
    }

    /** Pattern B: one wallet answered for the others, so several wallet ids report one address before round 1. */
    @Test
    void snapshotsOnlyMarksOneAddressUnderSeveralWalletIds() throws IOException {
        String all = run("--snapshots-only", RECORDED + "pattern-b").out();
        List<String> pre = all.lines().filter(l -> l.startsWith("[+") && l.contains("SNAPSHOT_PRE_ROUND1")).toList();
        assertEquals(9, pre.size(), all);
        assertTrue(pre.stream().allMatch(l -> l.contains("❌ same address_hash as the ") && l.endsWith("one wallet answered for several")),
                all);
        assertTrue(all.contains("3 wallet ids of this escrow and 6 of 2 other escrows report one address before they are multisig"), all);

        String one = run("--snapshots-only", files("pattern-b").get(0).toString()).out();
        assertTrue(one.contains("3 wallet ids of this escrow report one address before they are multisig: one wallet answered for the"
                + " others — concurrent access to a shared RPC instance (Pattern B)"), one);
    }

    @Test
    void snapshotsOfCleanRunsHaveNoCross() {
        Run r = run("--snapshots-only", RECORDED + "clean", RECORDED + "funds");
        assertFalse(r.out().contains("❌"), r.out());
    }

    /** The skill's rounds 1–3 and the final verification; a round's duration where it ended, in time order. */
    @Test
    void timelineNamesTheSkillsRounds() throws IOException {
        String out = run("--timeline", files("clean").get(0).toString()).out();
        assertFalse(out.contains("ROUND_"), out);
        assertFalse(out.contains("round=4"), out);
        List<String> rounds = out.lines().filter(l -> l.contains("round ") || l.contains("final verification ")).map(l -> l.substring(
                l.indexOf(']') + 2).replaceAll("\\d+ms", "Nms")).toList();
        assertEquals(List.of("STATE_CHANGE round 1 (prepare_multisig) started", "round 1 (prepare_multisig) ended after Nms ✅",
                "STATE_CHANGE round 1 (make_multisig) started", "round 1 (make_multisig) ended after Nms ✅",
                "STATE_CHANGE round 2 (exchange_multisig_keys) started", "round 2 (exchange_multisig_keys) ended after Nms ✅",
                "STATE_CHANGE round 3 (exchange_multisig_keys) started", "round 3 (exchange_multisig_keys) ended after Nms ✅",
                "STATE_CHANGE final verification (after round 3) started", "final verification ended after Nms ✅"), rounds);
        assertTrue(out.contains("method=is_multisig (final verification)"), out);
        long[] at = out.lines().filter(l -> l.startsWith("[+")).mapToLong(l -> Long.parseLong(l.substring(2, l.indexOf("ms]")))).toArray();
        for (int i = 1; i < at.length; i++) {
            assertTrue(at[i - 1] <= at[i], "line " + i + " goes back in time:\n" + out);
        }
        String failed = run("--timeline", files("pattern-c").get(0).toString()).out();
        assertTrue(failed.lines().anyMatch(l -> l.matches("\\[\\+\\d+ms] round 2 \\(exchange_multisig_keys\\) ended after \\d+ms ❌")), failed);
    }

    /** Two escrows that failed alike: the counts differ only by the lease's wallet calls, and the view says so. */
    @Test
    void compareSaysWhatItLeftOutAndWhy() throws IOException {
        List<Path> b = files("pattern-b");
        Run r = run("--compare", b.get(0).toString(), b.get(1).toString());
        assertEquals(AnalyzerCli.OK, r.status(), r.out());
        assertTrue(r.out().contains("≠ (left out: 3 and 1)"), r.out());
        assertTrue(r.out().contains("Left out: file 1: 3 calls (create_wallet ×3); file 2: 1 call (create_wallet ×1) — the wallet calls"
                + " wallet-gateway makes while granting the lease"), r.out());
        assertTrue(r.out().contains("not times, durations, ports, wallet ids or hashes"), r.out());
        assertTrue(r.out().contains("No divergence: the 64 compared events are the same, in the same order; the counts marked ≠ differ"
                + " only by the left-out calls."), r.out());

        JsonNode json = new ObjectMapper().readTree(run("--json", "--compare", b.get(0).toString(), b.get(1).toString()).out());
        assertEquals(3, json.path("left_out_calls").path("file_1").path("create_wallet").asInt(), json.toString());
        assertEquals(64, json.path("compared_events").asInt(), json.toString());
    }

    private static List<Path> files(String run) throws IOException {
        try (Stream<Path> s = Files.list(Path.of(RECORDED, run))) {
            return s.filter(p -> p.getFileName().toString().startsWith("escrow_")).sorted().toList();
        }
    }

    private static final String PAYOUT = RECORDED + "party-payout/";
    private static final String HELD = PAYOUT + "escrow_esc-3f9a61c0d84e27b5a1c6.json";

    @Test
    void timelineShowsEachPayoutStepWithShortHashes() {
        Run r = run("--timeline", HELD);
        String refused = r.out().lines().filter(l -> l.contains("PARTY_PAYOUT") && l.contains("outcome=REFUSED")).findFirst().orElseThrow();
        assertTrue(refused.matches("\\[\\+\\d+ms] PARTY_PAYOUT role=vendor step=txset epoch=1 payout=release outcome=REFUSED"
                + " txset=[0-9a-f]{12}… pays=[0-9a-f]{12}… expected=[0-9a-f]{12}… ❌ reason=\"pays another address .*"), refused);
        assertTrue(r.out().contains("PARTY_PAYOUT role=buyer step=stale epoch=1 payout=release stale=buyer ❌"), r.out());
        assertFalse(r.out().lines().filter(l -> l.contains("PARTY_PAYOUT")).anyMatch(l -> l.matches(".*[0-9a-f]{13}.*")),
                "no hash in full: " + r.out());
    }

    @Test
    void diagnosisOfAPayoutNamesThePartyAndTheEpoch() throws IOException {
        Run r = run("--diagnose", HELD);
        assertEquals(AnalyzerCli.PROBLEM, r.status());
        assertTrue(r.out().contains("Diagnosis: Transaction set refused — a party's transaction set was refused"), r.out());
        assertTrue(r.out().contains("  Party:         vendor\n  Payout:        release, epoch 1 (PARTY_PAYOUT event #"), r.out());
        assertTrue(r.out().contains("Also seen:     Signer overdue — a payout's signer is past its deadline".replace("a payout's",
                "the payout's")), r.out());
        assertTrue(r.out().contains("  Healed:        healed: the buyer was refused as stale at epoch 1"), r.out());
        JsonNode doc = new ObjectMapper().readTree(run("--json", PAYOUT).out());
        assertEquals(1, doc.path("summary").path("by_pattern").path("TXSET_REFUSED").asInt(), doc.path("summary").toString());
        assertEquals(1, doc.path("summary").path("healed").asInt(), "the resolve that healed");
        for (JsonNode e : doc.path("escrows")) {
            JsonNode d = e.path("diagnosis");
            if (e.path("status").asText().equals("RESOLVED")) {
                assertTrue(d.path("healed").asBoolean() && !d.path("problem_found").asBoolean() && d.path("root_cause").isNull(), d.toString());
            } else {
                assertEquals("TXSET_REFUSED", d.path("root_cause").path("pattern").asText());
                assertEquals("vendor", d.path("root_cause").path("role").asText());
                assertEquals(1, d.path("root_cause").path("state_before").path("state").path("epoch").asInt());
                assertEquals("SIGNER_OVERDUE", d.path("findings").get(1).path("pattern").asText());
            }
        }
        Run healed = run("--diagnose", PAYOUT + "escrow_esc-b27e4d915c08a3f6e2d7.json");
        assertEquals(AnalyzerCli.OK, healed.status(), healed.out());
        assertTrue(healed.out().contains("Diagnosis: Healed — "), healed.out());
    }
}
