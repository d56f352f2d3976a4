package dev.escrowstack.exporter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.escrowstack.exporter.files.EscrowFiles;
import dev.escrowstack.exporter.files.EscrowTraces;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The trace browser: its pages, its settings, escrows of earlier runs read back, and — in headless Chromium
 * (src/test/browser, as SkillWorkflowIT runs it on a real stack) — recorded escrows of every kind as a user sees them.
 */
@QuarkusTest
class TraceBrowserTest {

    private static final Path RECORDED = Path.of("../analyzer/src/test/resources/recorded");
    private static final Path PATTERN_B = RECORDED.resolve("pattern-b");
    private static final Path CLEAN = RECORDED.resolve("clean/escrow_esc-255c5f5fa3cb5bba7bb2.json");
    private static final Path SCREENSHOTS = Path.of("target/browser-screenshots/fixtures");

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger COPIES = new AtomicInteger();
    private static final long RUN_START = System.currentTimeMillis();

    @TestHTTPResource("/")
    URL root;

    @Inject
    EscrowTraces traces;
    @Inject
    EscrowFiles files;

    @Test
    void thePagesAndWhereJaegerIsAreServed() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("ui/list.js"));
        for (String page : List.of("escrow.html", "compare.html", "overlap.html", "ui/common.js", "ui/timeline.js", "ui/lanes.js",
                "ui/style.css")) {
            given().get("/" + page).then().statusCode(200);
        }
        // No Jaeger runs unless someone configures where its UI is: then the pages link to none.
        given().get("/api/ui/config").then().statusCode(200).body("jaeger_url", nullValue());
    }

    @Test
    void theDiagnosisSaysWhichCallItBlamesAndWhichPortsWereShared() throws Exception {
        String suffix = "-d" + System.nanoTime();
        List<String> funds = restoreAs(files(RECORDED.resolve("funds")), suffix);
        List<String> c = restoreAs(files(RECORDED.resolve("pattern-c")), suffix);
        List<String> b = restoreAs(files(PATTERN_B), suffix);
        // A funds-path escrow used other ports for its payout than for its setup, one after the other: not shared.
        given().get("/api/traces/" + funds.get(0) + "/diagnosis").then().statusCode(200)
                .body("ports.findAll { it.role == 'buyer' }.rpc_port", hasSize(2))
                .body("ports.shared", everyItem(is(false))).body("shared_calls", empty()).body("blamed_call", nullValue());
        // Pattern C: round 1's make_multisig is blamed (it succeeded, with the wrong infos); round 2 is where it failed.
        given().get("/api/traces/" + c.get(0) + "/diagnosis").then().statusCode(200)
                .body("diagnosis.findings[0].pattern", is("C"))
                .body("blamed_call.method", is("make_multisig")).body("blamed_call.round", is(1)).body("blamed_call.success", is(true))
                .body("blamed_call.role", is("arbiter")).body("blamed_call.end_index", greaterThan(0))
                .body("first_failed_call.round", is(2)).body("first_failed_call.success", is(false))
                .body("first_failed_call.error", not(emptyOrNullString()));
        // A payout the parties make: the findings name the party, no wallet call is blamed; a mended one is healed.
        List<String> payout = restoreAs(files(RECORDED.resolve("party-payout")), suffix);
        given().get("/api/traces/" + payout.get(0) + "/diagnosis").then().statusCode(200)
                .body("diagnosis.problem_found", is(true))
                .body("diagnosis.findings.pattern", contains("TXSET_REFUSED", "SIGNER_OVERDUE", "HEALED"))
                .body("diagnosis.root_cause.role", is("vendor")).body("diagnosis.root_cause.state_before.state.epoch", is(1))
                .body("blamed_call", nullValue()).body("first_failed_call", nullValue());
        given().get("/api/traces/" + payout.get(1) + "/diagnosis").then().statusCode(200)
                .body("diagnosis.healed", is(true)).body("diagnosis.problem_found", is(false)).body("diagnosis.root_cause", nullValue());
        // Pattern B: every role's calls raced with others on the one instance.
        given().get("/api/traces/" + b.get(0) + "/diagnosis").then().statusCode(200)
                .body("ports.shared", hasItem(true)).body("shared_calls", not(empty()))
                .body("blamed_call.success", is(false));
    }

    /**
     * The pages in headless Chromium over recorded escrows: a clean funds-path escrow (no SHARED, one story over
     * its traces, short rounds), Pattern A, B and C (failed calls visible, the blamed call marked, the panel from
     * one call), non-custodial escrows (each participant's mailbox messages on its lane, a stalled party named), a
     * setup that healed after a wallet-rpc crash (a "healed" badge and panel, the abandoned attempt marked),
     * and a comparison (labels placed, the cause before the first difference). Needs node and Chromium (./stack
     * test installs them); without them, outside CI, it is skipped.
     */
    @Test
    void thePagesShowWhatTheDiagnosisSaysInChromium() throws Exception {
        boolean tools = onPath("node") && (onPath("chromium") || System.getenv("CHROMIUM") != null);
        assumeTrue(tools || System.getenv("CI") != null, "node and chromium are needed for the browser checks");
        String suffix = "-u" + System.nanoTime();
        Map<String, List<String>> kinds = new LinkedHashMap<>();
        kinds.put("funds", restoreAs(files(RECORDED.resolve("funds")), suffix));
        kinds.put("clean", restoreAs(List.of(CLEAN), suffix));
        kinds.put("pattern_a", restoreAs(files(RECORDED.resolve("pattern-a")), suffix));
        kinds.put("pattern_b", restoreAs(files(PATTERN_B), suffix));
        kinds.put("pattern_c", restoreAs(files(RECORDED.resolve("pattern-c")), suffix));
        kinds.put("parties", restoreAs(files(RECORDED.resolve("parties")), suffix));
        kinds.put("healed", restoreAs(files(RECORDED.resolve("healed")), suffix));
        // Hand-written (recorded/party-payout/README.md): a release held up by its parties, and a resolve that healed.
        kinds.put("party_payout", restoreAs(files(RECORDED.resolve("party-payout")), suffix));
        Files.createDirectories(SCREENSHOTS);
        Path fixtures = SCREENSHOTS.resolve("fixtures.json");
        Files.writeString(fixtures, JSON.writeValueAsString(kinds));

        Path log = SCREENSHOTS.resolve("browse.log");
        Process browser = new ProcessBuilder("bash", Path.of("src/test/browser/run.sh").toAbsolutePath().toString(), "--url",
                root.toString(), "--out", SCREENSHOTS.toAbsolutePath().toString(), "--expect", "fixtures", "--fixtures",
                fixtures.toAbsolutePath().toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            assertTrue(browser.waitFor(5, TimeUnit.MINUTES), "the browser checks took over 5 minutes");
        } finally {
            browser.destroyForcibly();
        }
        String output = Files.readString(log);
        System.out.println(output);
        assertEquals(0, browser.exitValue(), output);
        assertTrue(output.contains("checks passed"), output);
    }

    @Test
    void escrowFilesOfAnEarlierRunAreReadBackAndDiagnosedTogether() throws Exception {
        // Recorded files under new ids (ids inside them too), as an earlier run would have left them.
        String suffix = "-r" + System.nanoTime();
        List<Path> recorded = new ArrayList<>(files(PATTERN_B));
        recorded.add(CLEAN);
        List<String> oldIds = recorded.stream().map(TraceBrowserTest::idOf).toList();
        write(recorded, suffix);
        Files.writeString(files.dir().resolve("escrow_esc-unreadable" + suffix + ".json"), "{ not json");

        assertEquals(recorded.size(), traces.restore(), "every readable file is read back");
        String id = oldIds.get(0) + suffix;
        given().get("/api/traces").then().statusCode(200)
                .body("find { it.escrow_id == '" + id + "' }.status", is("FAILED"))
                .body("find { it.escrow_id == '" + id + "' }.event_count", is(70))
                .body("find { it.escrow_id == '" + idOf(CLEAN) + suffix + "' }.status", is("READY"))
                .body("escrow_id", not(hasItem("esc-unreadable" + suffix)));
        // The three ran at once on one wallet-rpc: read back together, the race still shows.
        given().get("/api/traces/" + id + "/diagnosis").then().statusCode(200).body("diagnosis.findings[0].pattern", is("B"));
        assertEquals(0, traces.restore(), "nothing is read twice");
    }

    /**
     * Recorded files as an earlier run's, under new ids and moved in time: each copy to its own day after this
     * run's start, so no two copies (of this run or of an earlier one, whose files trace-exporter reads back
     * from target/) run at the same time, which would look like a race on their ports. Returns the ids, once
     * trace-exporter has read them.
     */
    private List<String> restoreAs(List<Path> recorded, String suffix) throws Exception {
        write(recorded, suffix);
        List<ArrayNode> copies = new ArrayList<>();
        for (Path file : recorded) {
            copies.add((ArrayNode) JSON.readTree(copyOf(file, suffix).toFile()));
        }
        long first = copies.stream().mapToLong(c -> c.get(0).get("timestamp").asLong()).min().orElse(0);
        long later = RUN_START - first + COPIES.incrementAndGet() * 86_400_000L;
        for (int i = 0; i < recorded.size(); i++) {
            copies.get(i).forEach(e -> ((ObjectNode) e).put("timestamp", e.get("timestamp").asLong() + later));
            JSON.writeValue(copyOf(recorded.get(i), suffix).toFile(), copies.get(i));
        }
        assertEquals(recorded.size(), traces.restore(), "every file is read back");
        return recorded.stream().map(f -> idOf(f) + suffix).toList();
    }

    private Path copyOf(Path recorded, String suffix) {
        return files.dir().resolve("escrow_" + idOf(recorded) + suffix + ".json");
    }

    /** The files with every id of them, in their names and inside them, given {@code suffix}. */
    private void write(List<Path> recorded, String suffix) throws Exception {
        List<String> oldIds = recorded.stream().map(TraceBrowserTest::idOf).toList();
        Files.createDirectories(files.dir());
        for (Path file : recorded) {
            String text = Files.readString(file);
            for (String old : oldIds) {
                text = text.replace(old, old + suffix);
            }
            Files.writeString(copyOf(file, suffix), text);
        }
    }

    private static List<Path> files(Path dir) throws Exception {
        try (var list = Files.list(dir)) {
            return list.filter(f -> f.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(java.io.File.pathSeparator)).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    private static String idOf(Path file) {
        return file.getFileName().toString().replaceAll("^escrow_|\\.json$", "");
    }
}
