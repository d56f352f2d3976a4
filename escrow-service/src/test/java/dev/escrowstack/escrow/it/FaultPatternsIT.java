package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Finding;
import dev.escrowstack.analyzer.diagnosis.Pattern;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.EventReader;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Hashes;

import dev.escrowstack.testsupport.WalletRpcProcesses;

/**
 * The skill's steps 1–4, ENABLE_INSTRUMENTATION=1, with a fault switched on or none: the whole stack from
 * the launcher, real monero-wallet-rpc, the three concurrent curls, then the analyzer on the files they
 * left. It must name the pattern, the wallet and the round, and find nothing in 30 clean escrows, whose
 * files must be complete. (The collector path, forwarding and its outage, is ReliabilityIT's.) The files are kept under target/recorded-escrows/ (hashes only)
 * as the analyzer's recorded fixtures.
 */
class FaultPatternsIT {

    static final List<String> SNAPSHOTS = List.of(EventTypes.SNAPSHOT_PRE_ROUND1, EventTypes.SNAPSHOT_POST_MAKE_MULTISIG,
            EventTypes.SNAPSHOT_PRE_ROUND2, EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND3,
            EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG, EventTypes.SNAPSHOT_FINAL);

    @TempDir
    Path home;
    @TempDir
    Path workdir;

    StackRunner stack;
    int escrowPort;
    /** The trace browser's checks when they run beside the curls; stopped by pid with Chromium if left over. */
    Process browser;

    @AfterEach
    void down() throws Exception {
        if (browser != null && browser.isAlive()) {
            browser.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
            browser.destroyForcibly();
        }
        if (stack != null) {
            stack.stack("down");
        }
    }

    @Test
    void cachePollutionIsPatternAOnTheBuyerInRound1() throws Exception {
        up("ESCROW_FAULT", "cache-pollution");
        // The first escrow gets fresh wallets (nothing is multisig yet) and leaves three multisig ones behind.
        assertTrue(curl("buyer0", "vendor0").contains("\"status\":\"READY\""));
        String loop = stack.shell(StackRunner.skillLoop(escrowPort)).output();
        assertEquals(3, count(loop, "already multisig"), loop);

        List<Diagnosis> diagnoses = diagnose(4);
        assertEquals(1, diagnoses.stream().filter(Diagnosis::clean).count(), "the first escrow is clean: " + diagnoses);
        for (Diagnosis d : diagnoses.stream().filter(d -> !d.clean()).toList()) {
            Finding f = d.primary();
            assertEquals(Pattern.A, f.pattern(), d.toString());
            assertEquals("buyer", f.role(), d.toString());
            assertEquals(1, f.round(), d.toString());
            assertEquals(true, f.stateBefore().get("is_multisig"), "state before: " + f.stateBefore());
            assertNotNull(f.walletId());
        }
        keep("pattern-a");
        assertCliNames("Pattern A — RPC cache pollution");
    }

    @Test
    void wrongInfosArePatternCOnTheArbiterInRound1() throws Exception {
        up("ESCROW_FAULT", "wrong-infos");
        String loop = stack.shell(StackRunner.skillLoop(escrowPort)).output();
        assertEquals(0, count(loop, "\"status\":\"READY\""), loop);

        List<Diagnosis> diagnoses = diagnose(3);
        for (Diagnosis d : diagnoses) {
            Finding f = d.primary();
            assertNotNull(f, d.toString());
            assertEquals(Pattern.C, f.pattern(), d.toString());
            assertEquals("arbiter", f.role(), d.toString());
            assertEquals(1, f.round(), d.toString());
            assertEquals("make_multisig", f.operation(), d.toString());
            assertTrue(f.evidence().get(0).contains("its own info instead of the vendor's"), f.evidence().toString());
        }
        keep("pattern-c");
        assertCliNames("Pattern C — state divergence");
    }

    @Test
    void thirtyCleanEscrowsGiveNoFalsePositive() throws Exception {
        up(null, null);
        for (int batch = 0; batch < 10; batch++) {
            if (batch == 8) { // the trace browser's list, open while the last six run
                browser = browser("clean", 30, "--live", "24").start();
            }
            String loop = stack.shell(StackRunner.skillLoop(escrowPort)).output();
            assertEquals(3, count(loop, "\"status\":\"READY\""), loop);
        }
        List<Diagnosis> diagnoses = diagnose(30);
        assertEquals(List.of(), diagnoses.stream().filter(d -> !d.clean()).toList());
        // The skill's step 3: one complete file per escrow where the stack was started, no key material in
        // files or logs, and the troubleshooting line in escrow-service's log.
        for (Path file : files()) {
            assertComplete(file);
        }
        assertTrue(stack.shell("ls -lh escrow_*.json").output().contains("escrow_esc-"));
        try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log);
                assertEquals(-1, Hashes.rawMultisigInfoAt(text), "multisig info in " + log);
                if (log.getFileName().toString().equals("escrow-service.log")) {
                    assertTrue(text.contains("Instrumentation ENABLED for escrow"), "the skill's troubleshooting line");
                }
            }
        }
        keep("clean");
        assertTrue(browser.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), "the browser checks end");
        String output = new String(browser.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertEquals(0, browser.exitValue(), output);
        System.out.print(output); // the browser's figures, in the build log
        assertTrue(output.contains("checks passed") && output.contains(" to 30 rows without a reload"), output);
        StackRunner.Result cli = stack.shell(StackRunner.ROOT.resolve("tools/analyze-escrow") + " --diagnose .");
        assertEquals(0, cli.exit(), cli.output());
        assertTrue(cli.output().contains("=== 30 escrows === 30 clean"), cli.output());
    }

    @Test
    void aFaultIsRefusedInProd() throws Exception {
        assertRefused("escrow-service", "ESCROW_FAULT=wrong-infos is refused in profile [prod]",
                java.util.Map.of("ESCROW_FAULT", "wrong-infos", "GATEWAY_API_TOKEN", "t", "ESCROW_DATA_DIR", home.resolve("e").toString(),
                        "WALLET_GATEWAY_URL", "http://127.0.0.1:9"));
        assertRefused("wallet-gateway", "GATEWAY_FAULT=shared-instance is refused in profile [prod]",
                java.util.Map.of("GATEWAY_FAULT", "shared-instance", "GATEWAY_API_TOKEN", "t", "GATEWAY_WALLET_SECRET", "0123456789abcdef",
                        "GATEWAY_DATA_DIR", home.resolve("g").toString(), "GATEWAY_POOL_SIZE", "1"));
        assertEquals(List.of(), WalletRpcProcesses.under(home), "no wallet-rpc started before the refusal");
    }

    private void assertRefused(String service, String message, java.util.Map<String, String> env) throws Exception {
        Path jar = StackRunner.ROOT.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString()).redirectErrorStream(true);
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", "0");
        pb.environment().remove("QUARKUS_PROFILE");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), output);
        assertNotEquals(0, p.exitValue(), output);
        assertTrue(output.contains(message), output);
    }

    /**
     * The skill's Pattern B: GATEWAY_FAULT=shared-instance sends every wallet call to one wallet-rpc that
     * switches wallets with open_wallet. Only several files at once show it: calls of different escrows
     * overlapping on one port.
     */
    @Test
    void aSharedInstanceIsPatternBAcrossTheConcurrentEscrows() throws Exception {
        up("GATEWAY_FAULT", "shared-instance");
        String loop = stack.shell(StackRunner.skillLoop(escrowPort)).output();
        assertTrue(count(loop, "multisig-setup-failed") >= 1, loop);

        List<Diagnosis> diagnoses = diagnose(3);
        Integer sharedPort = null;
        for (Diagnosis d : diagnoses) {
            Finding f = d.primary();
            assertNotNull(f, d.toString());
            assertEquals(Pattern.B, f.pattern(), d.toString());
            assertNotNull(f.role(), d.toString());
            assertNotNull(f.round(), d.toString());
            assertFalse(f.otherEscrows().isEmpty(), "names the escrows it raced with: " + d);
            sharedPort = sharedPort == null ? f.port() : sharedPort;
            assertEquals(sharedPort, f.port(), "one instance for all: " + diagnoses);
        }
        keep("pattern-b");
        browse("pattern-b", 3);
        assertCliNames("Pattern B — race on a shared RPC instance");
    }

    private void up(String faultVariable, String fault) throws Exception {
        stack = new StackRunner(workdir);
        escrowPort = stack.isolate(home, 18850, "fault-it");
        stack.env.put("ENABLE_INSTRUMENTATION", "1");
        if (fault != null) {
            stack.env.put(faultVariable, fault);
        }
        StackRunner.Result up = stack.stack("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("instrumentation: ENABLED"), up.output());
        assertEquals(fault != null, up.output().contains("FAULT INJECTION: " + faultVariable + "=" + fault), up.output());
    }

    private String curl(String buyer, String vendor) throws Exception {
        return stack.shell("curl -s -X POST http://localhost:" + escrowPort + "/api/escrow/init -H 'Content-Type: application/json' -d '{\"buyer_id\": \""
                + buyer + "\", \"vendor_id\": \"" + vendor + "\", \"amount\": 1000000}'").output();
    }

    /**
     * Waits until {@code n} escrow files hold their escrow's end and stop growing (the two services export
     * their spans in separate batches), then diagnoses them all together. Up to two minutes: with a shared
     * wallet-rpc (Pattern B) the calls queued on it keep ending, and arriving, well after the escrows failed.
     */
    private List<Diagnosis> diagnose(int n) throws Exception {
        List<EscrowFile> files = new ArrayList<>();
        java.util.Map<Path, Integer> sizes = new java.util.HashMap<>();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            files.clear();
            boolean stable = true;
            for (Path p : files()) {
                EscrowFile f = EventReader.read(p);
                if (!f.status().equals("READY") && !f.status().equals("FAILED")) {
                    return false;
                }
                stable &= Integer.valueOf(f.events().size()).equals(sizes.put(p, f.events().size()));
                files.add(f);
            }
            return files.size() == n && stable;
        });
        return Diagnoser.diagnose(files);
    }

    /**
     * The trace browser on this run's escrows, in headless Chromium (trace-exporter/src/test/browser): the
     * list, each escrow's lanes and bars, the diagnosis, the by-port view. Screenshots: target/browser-screenshots/.
     */
    private void browse(String expect, int escrows) throws Exception {
        browser = browser(expect, escrows).start();
        String output = new String(browser.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(browser.waitFor(5, java.util.concurrent.TimeUnit.MINUTES), output);
        assertEquals(0, browser.exitValue(), output);
        System.out.print(output);
        assertTrue(output.contains("checks passed"), output);
        assertTrue(Files.exists(screenshots(expect).resolve("overlap.png")), "screenshots in " + screenshots(expect));
    }

    private ProcessBuilder browser(String expect, int escrows, String... more) {
        List<String> command = new ArrayList<>(List.of("bash", StackRunner.ROOT.resolve("trace-exporter/src/test/browser/run.sh").toString(),
                "--url", "http://127.0.0.1:" + stack.env.get("EXPORTER_HTTP_PORT"), "--out", screenshots(expect).toString(),
                "--expect", expect, "--escrows", Integer.toString(escrows)));
        command.addAll(List.of(more));
        return new ProcessBuilder(command).redirectErrorStream(true);
    }

    private static Path screenshots(String expect) {
        return StackRunner.ROOT.resolve("escrow-service/target/browser-screenshots/" + expect);
    }

    private void assertCliNames(String label) throws Exception {
        StackRunner.Result cli = stack.shell(StackRunner.ROOT.resolve("tools/analyze_escrow_json.py") + " --diagnose escrow_*.json");
        assertEquals(1, cli.exit(), cli.output());
        assertTrue(cli.output().contains(label), cli.output());
    }

    private void keep(String name) throws IOException {
        Path dir = Path.of("target/recorded-escrows", name);
        Files.createDirectories(dir);
        for (Path p : files()) {
            String text = Files.readString(p);
            int at = Hashes.rawMultisigInfoAt(text);
            assertEquals(-1, at, () -> "a raw multisig info in " + p + ": …" + text.substring(Math.max(0, at - 300), at + 20));
            Files.copy(p, dir.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(workdir)) {
            return s.filter(p -> p.getFileName().toString().matches("escrow_esc-[0-9a-f]+\\.json")).sorted().toList();
        }
    }

    /** Every role has the skill's seven snapshots, every RPC_CALL_START its end (with duration and port), and the READY state. */
    @SuppressWarnings("unchecked")
    private static void assertComplete(Path file) throws IOException {
        List<Map<String, Object>> events = new ObjectMapper().readValue(file.toFile(), List.class);
        for (String role : List.of("buyer", "vendor", "arbiter")) {
            Set<String> types = events.stream().filter(e -> role.equals(e.get("role"))).map(e -> (String) e.get("event_type"))
                    .collect(Collectors.toSet());
            assertTrue(types.containsAll(SNAPSHOTS), file + ": " + role + " has " + types);
        }
        Map<String, Map<String, Object>> starts = new HashMap<>();
        Map<String, Map<String, Object>> ends = new HashMap<>();
        for (Map<String, Object> e : events) {
            Map<String, Object> d = (Map<String, Object>) e.get("details");
            if (e.get("event_type").equals(EventTypes.RPC_CALL_START)) {
                starts.put((String) d.get("span_id"), e);
            } else if (e.get("event_type").equals(EventTypes.RPC_CALL_END) || e.get("event_type").equals(EventTypes.RPC_CALL_ERROR)) {
                ends.put((String) d.get("span_id"), e);
                assertNotNull(d.get("duration_ms"));
                assertNotNull(e.get("rpc_port"), "every call names its wallet-rpc port");
            }
        }
        assertFalse(starts.isEmpty());
        assertEquals(starts.keySet(), ends.keySet(), "every RPC_CALL_START has its END");
        assertTrue(events.stream().anyMatch(e -> "READY".equals(((Map<String, Object>) e.get("details")).get("state"))));
    }

    private static int count(String text, String needle) {
        return text.split(java.util.regex.Pattern.quote(needle), -1).length - 1;
    }
}
