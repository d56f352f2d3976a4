package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Hashes;

/**
 * The skill's steps 1-3 on the whole stack: ENABLE_INSTRUMENTATION=1 ./stack up, the three concurrent
 * curls, then escrow_*.json in the directory the stack was started from — and the same spans at a
 * collector, which may also be down without the escrows or the files noticing.
 */
class InstrumentedStackIT {

    static final List<String> SNAPSHOTS = List.of(EventTypes.SNAPSHOT_PRE_ROUND1, EventTypes.SNAPSHOT_POST_MAKE_MULTISIG,
            EventTypes.SNAPSHOT_PRE_ROUND2, EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND3,
            EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG, EventTypes.SNAPSHOT_FINAL);

    @TempDir
    Path home;
    @TempDir
    Path workdir;

    StackRunner stack;
    HttpServer collector;
    /** OTLP requests the stand-in collector got that carried escrow spans. */
    final AtomicInteger collected = new AtomicInteger();

    @AfterEach
    void cleanUp() throws Exception {
        stack.stack("down");
        if (collector != null) {
            collector.stop(0);
        }
    }

    @Test
    void theSkillsWorkflowGivesOneCompleteFilePerEscrowAndTheCollectorGetsTheSpans() throws Exception {
        collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        collector.createContext("/v1/traces", x -> {
            // OTLP protobuf carries strings as UTF-8: an escrow id in the body means escrow spans arrived.
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (body.contains("esc-")) {
                collected.incrementAndGet();
            }
            x.sendResponseHeaders(200, -1);
            x.close();
        });
        collector.start();
        stack = new StackRunner(workdir);
        Map<String, String> env = stack.env;
        int escrowPort = stack.isolate(home, 18800, "instrumented-it");
        env.put("ENABLE_INSTRUMENTATION", "1");
        env.put("EXPORTER_FORWARD_ENDPOINT", "http://127.0.0.1:" + collector.getAddress().getPort());

        StackRunner.Result up = stack.stack("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("instrumentation: ENABLED"), up.output());

        StackRunner.Result curls = stack.shell(StackRunner.skillLoop(escrowPort));
        assertEquals(3, curls.output().split("\"status\":\"READY\"", -1).length - 1, curls.output());

        // Step 3: ls -lh escrow_*.json where the stack was started.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> complete(files()).size() == 3);
        for (Path file : files()) {
            assertComplete(file);
        }
        assertTrue(stack.shell("ls -lh escrow_*.json").output().contains("escrow_esc-"));

        // Hygiene: no raw multisig info anywhere in the files or the logs.
        for (Path file : files()) {
            assertEquals(-1, Hashes.rawMultisigInfoAt(Files.readString(file)), "multisig info in " + file);
        }
        try (Stream<Path> logs = Files.list(home.resolve("logs"))) {
            for (Path log : logs.toList()) {
                String text = Files.readString(log);
                assertEquals(-1, Hashes.rawMultisigInfoAt(text), "multisig info in " + log);
                if (log.getFileName().toString().equals("escrow-service.log")) {
                    assertTrue(text.contains("Instrumentation ENABLED for escrow"), "the skill's troubleshooting line");
                }
            }
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> collected.get() > 0);

        // The collector goes away: escrows and files carry on.
        collector.stop(0);
        collector = null;
        StackRunner.Result one = stack.shell("curl -s -X POST http://localhost:" + escrowPort + "/api/escrow/init -H 'Content-Type: application/json' "
                + "-d '{\"buyer_id\": \"buyer9\", \"vendor_id\": \"vendor9\", \"amount\": 5}'");
        assertTrue(one.output().contains("\"status\":\"READY\""), one.output());
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500)).until(() -> complete(files()).size() == 4);
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(workdir)) {
            return s.filter(p -> p.getFileName().toString().matches("escrow_esc-[0-9a-f]+\\.json")).toList();
        }
    }

    private static List<Path> complete(List<Path> files) {
        return files.stream().filter(f -> {
            try {
                assertComplete(f);
                return true;
            } catch (AssertionError | IOException e) {
                return false;
            }
        }).toList();
    }

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

}
