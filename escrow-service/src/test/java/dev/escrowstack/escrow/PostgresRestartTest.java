package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.support.GatewayTestResource;
import dev.escrowstack.escrow.support.PrivatePostgres;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Issue 9, "PostgreSQL restart": a PostgreSQL of the test's own is crashed (immediate shutdown) while two
 * setups run and started again once both have finished their wallet work. Meanwhile every request that
 * needs it must be a 503 problem+json with Retry-After, never a 500 or a hang; afterwards requests work at
 * once, the two setups end READY as their clients were told, and nothing written before is lost. Then a
 * restart nobody notices: no dead pooled connection may reach a request. The figures go to the log
 * ("reliability: postgres restart …") and to target/reliability-postgres.json.
 */
@QuarkusTest
@TestProfile(PostgresRestartTest.OnPrivatePostgres.class)
@EnabledIf("dev.escrowstack.escrow.support.PrivatePostgres#isInstalled")
class PostgresRestartTest {

    public static class OnPrivatePostgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.db-kind", "postgresql");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GatewayTestResource.class), new TestResourceEntry(PrivatePostgres.Resource.class));
        }
    }

    private static final Duration OUTAGE = Duration.ofSeconds(5);
    /** Below escrow.setup.record-retry (30 s), so the setups' outcomes are still being retried at the restart. */
    private static final Duration MAX_OUTAGE = Duration.ofSeconds(20);
    /** "Never hanging": a request during the outage must be answered within this. */
    private static final Duration PROMPT = Duration.ofSeconds(4);

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    /** The test's concurrent clients: their own threads, since each blocks for as long as its request takes. */
    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** What the run measured; reported even when an assertion fails, to show how far it got. */
    private final Map<String, Object> figures = new LinkedHashMap<>();

    @TestHTTPResource("/")
    URL root;

    /** One answer, and when it came. */
    record Answer(String what, int status, String contentType, String retryAfter, String body, long sentNanos, long answeredNanos) {
        long ms() {
            return (answeredNanos - sentNanos) / 1_000_000;
        }

        JsonPath json() {
            return JsonPath.from(body);
        }
    }

    @Test
    void aCrashedPostgresMeans503sWhileDownAndNothingLostAfter() throws Exception {
        long testStarted = System.nanoTime();
        PrivatePostgres postgres = PrivatePostgres.Resource.server;

        // 1. Two escrows made before the outage.
        Map<String, String> earlier = new LinkedHashMap<>();
        for (int i = 1; i <= 2; i++) {
            JsonPath e = init("pg-before-b" + i, "pg-before-v" + i, 1000 + i).then().statusCode(201).body("status", is("READY"))
                    .extract().jsonPath();
            earlier.put(e.getString("escrow_id"), e.getString("multisig_address"));
        }
        String someEscrow = earlier.keySet().iterator().next();

        // 2. Two setups under way (both leased, so their wallets are at work), then the crash. The gateway's
        // spare wallets first, so the setups take their usual seconds rather than wait for new wallets.
        waitFor(Duration.ofSeconds(120), () -> GatewayTestResource.get("/v1/pool").body().contains("\"spares\":6"));
        WaitingToRecord waiting = WaitingToRecord.install();
        long initsSent = System.nanoTime();
        List<CompletableFuture<Answer>> inFlight = List.of("1", "2").stream()
                .map(n -> CompletableFuture.supplyAsync(() -> send("init in flight", "POST", "/api/escrow/init",
                        initBody("pg-during-b" + n, "pg-during-v" + n), Duration.ofMinutes(3)), clients))
                .toList();
        waitFor(Duration.ofSeconds(60), () -> count("status = 'INITIALIZING' and lease_id is not null") == 2);
        long crashed = System.nanoTime();
        postgres.crash();
        figures.put("crash_after_inits_sent_ms", (crashed - initsSent) / 1_000_000);
        assertTrue(inFlight.stream().noneMatch(CompletableFuture::isDone), "the setups were still running at the crash");

        // 3. While it is down: reads, new inits and readiness, over and over; down until both setups have
        // finished their wallet work and wait to record READY (a few seconds), and at least OUTAGE.
        List<Answer> during = Collections.synchronizedList(new ArrayList<>());
        BooleanSupplier down = () -> System.nanoTime() - crashed < OUTAGE.toNanos()
                || waiting.escrows().size() < 2 && System.nanoTime() - crashed < MAX_OUTAGE.toNanos();
        Duration patience = PROMPT.plusSeconds(5); // a slower answer is recorded and then fails the check
        List<Supplier<Answer>> probes = List.of(
                () -> send("GET /api/escrow/{id}", "GET", "/api/escrow/" + someEscrow, null, patience),
                () -> send("POST /api/escrow/init", "POST", "/api/escrow/init", initBody("pg-refused-b", "pg-refused-v"), patience),
                () -> send("GET /q/health/ready", "GET", "/q/health/ready", null, patience));
        probes.stream().map(probe -> CompletableFuture.runAsync(() -> {
            while (down.getAsBoolean()) {
                during.add(probe.get());
                pause(200);
            }
        }, clients)).toList().forEach(CompletableFuture::join);
        figures.put("during_outage", summary(during));
        during.forEach(PostgresRestartTest::assertCleanRefusal);
        figures.put("outage_ms", (System.nanoTime() - crashed) / 1_000_000);
        Set<String> waitedToRecord = Set.copyOf(waiting.escrows());
        figures.put("setups_waiting_to_record_at_restart", waitedToRecord.size());
        waiting.remove();

        // 4. Started again: how soon does a request succeed?
        long relaunched = System.nanoTime();
        postgres.launch();
        long up = System.nanoTime();
        Instant upAt = Instant.now();
        figures.put("postgres_start_ms", (up - relaunched) / 1_000_000);
        List<Answer> afterRestart = new ArrayList<>();
        Answer first;
        do {
            first = send("GET /api/escrow/{id}", "GET", "/api/escrow/" + someEscrow, null, PROMPT);
            afterRestart.add(first);
            if (first.status() != 200) {
                assertEquals(503, first.status(), "after the restart: " + first.body());
                Thread.sleep(50);
            }
        } while (first.status() != 200 && System.nanoTime() - up < TimeUnit.SECONDS.toNanos(30));
        assertEquals(200, first.status(), "a read works within 30 s of the restart");
        long firstSuccessMs = (first.answeredNanos() - up) / 1_000_000;
        figures.put("first_success_after_restart_ms", firstSuccessMs);
        figures.put("failed_requests_after_restart", afterRestart.size() - 1);
        assertTrue(firstSuccessMs < 3000, "first success " + firstSuccessMs + " ms after PostgreSQL accepted connections again");
        waitFor(Duration.ofSeconds(30), () -> send("ready", "GET", "/q/health/ready", null, PROMPT).status() == 200);
        figures.put("ready_after_restart_ms", (System.nanoTime() - up) / 1_000_000);

        // The two setups that ran through the outage: READY, as their clients were told, recorded after the restart.
        List<Map<String, Object>> inFlightFigures = new ArrayList<>();
        figures.put("in_flight_inits", inFlightFigures);
        for (CompletableFuture<Answer> f : inFlight) {
            inFlightFigures.add(recordedAfterRestart(f.get(3, TimeUnit.MINUTES), waitedToRecord, up, upAt));
        }

        // Nothing lost: the earlier escrows as they were; a new init works; nothing left half done; no
        // escrow from the refused inits.
        for (Map.Entry<String, String> e : earlier.entrySet()) {
            api().get("/api/escrow/" + e.getKey()).then().statusCode(200).body("status", is("READY"))
                    .body("multisig_address", is(e.getValue()));
            assertEquals(e.getValue(), row(e.getKey()).get("multisig_address"));
        }
        long afterInit = System.nanoTime();
        init("pg-after-b", "pg-after-v", 3000).then().statusCode(201).body("status", is("READY"));
        figures.put("init_after_restart_ms", (System.nanoTime() - afterInit) / 1_000_000);
        assertEquals(0, count("status = 'INITIALIZING'"), "no escrow left INITIALIZING");
        assertEquals(0, count("buyer_id = 'pg-refused-b'"), "an init refused during the outage left no escrow");
        assertEquals(5, count("true"), "2 before, 2 through the outage, 1 after");

        // 5. A restart nobody noticed: no request while it was down, so every pooled connection is a dead
        // one. None may reach a request (validate-on-borrow).
        List<CompletableFuture<Answer>> warm = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            warm.add(CompletableFuture.supplyAsync(() -> send("warm", "GET", "/api/escrow/" + someEscrow, null, PROMPT), clients));
        }
        warm.forEach(w -> assertEquals(200, w.join().status()));
        long pooled = count("pg_stat_activity", "usename = '" + PrivatePostgres.USER + "' and pid <> pg_backend_pid()");
        postgres.crash();
        postgres.launch();
        List<CompletableFuture<Answer>> burst = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            burst.add(CompletableFuture.supplyAsync(
                    () -> send("after a quiet restart", "GET", "/api/escrow/" + someEscrow, null, PROMPT), clients));
        }
        List<Answer> quiet = burst.stream().map(CompletableFuture::join).toList();
        Map<String, Object> quietFigures = new LinkedHashMap<>();
        quietFigures.put("pooled_connections_at_crash", pooled);
        quietFigures.putAll(summary(quiet));
        figures.put("quiet_restart", quietFigures);
        quiet.forEach(a -> assertEquals(200, a.status(), "a dead pooled connection reached a request: " + a.body()));

        // 6. A database that hangs instead of refusing: connections open, nothing answers. Requests wait out
        // the connection validation (2 s) and Agroal's acquisition timeout (5 s), then get the same 503.
        postgres.freeze();
        List<Answer> hung;
        try {
            List<CompletableFuture<Answer>> whileHung = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                whileHung.add(CompletableFuture.supplyAsync(
                        () -> send("GET /api/escrow/{id} while hung", "GET", "/api/escrow/" + someEscrow, null, Duration.ofSeconds(30)), clients));
            }
            hung = whileHung.stream().map(CompletableFuture::join).toList();
        } finally {
            postgres.thaw();
        }
        long thawed = System.nanoTime();
        Answer afterThaw = send("GET /api/escrow/{id} after the hang", "GET", "/api/escrow/" + someEscrow, null, Duration.ofSeconds(30));
        Map<String, Object> hangFigures = new LinkedHashMap<>(summary(hung));
        hangFigures.put("first_request_after_thaw", Map.of("status", afterThaw.status(), "ms", (afterThaw.answeredNanos() - thawed) / 1_000_000));
        figures.put("hung_database", hangFigures);
        for (Answer a : hung) {
            assertEquals(503, a.status(), "a hung database: " + a.body());
            assertTrue(a.contentType().startsWith("application/problem+json"), a.contentType());
            assertEquals("urn:escrow-stack:problem:database-unavailable", a.json().getString("type"));
        }
        assertEquals(200, afterThaw.status(), afterThaw.body());

        figures.put("test_duration_ms", (System.nanoTime() - testStarted) / 1_000_000);
    }

    /** READY as the client was told, stored so, written after the restart by a setup that had waited for it. */
    private static Map<String, Object> recordedAfterRestart(Answer a, Set<String> waitedToRecord, long up, Instant upAt)
            throws Exception {
        assertEquals(201, a.status(), "an init whose setup spanned the outage: " + a.body());
        JsonPath told = a.json();
        String id = told.getString("escrow_id");
        assertEquals("READY", told.getString("status"));
        Map<String, Object> row = row(id);
        assertEquals("READY", row.get("status"), "the database says what the client was told");
        assertEquals(told.getString("multisig_address"), row.get("multisig_address"));
        assertEquals(told.getString("wallets.arbiter"), row.get("arbiter_wallet_id"));
        assertNull(row.get("lease_id"), "the lease is forgotten once released");
        Instant recorded = ((java.sql.Timestamp) row.get("updated_at")).toInstant();
        assertFalse(recorded.isBefore(upAt.minusMillis(100)), "READY recorded after the restart: " + recorded + " vs " + upAt);
        assertTrue(waitedToRecord.contains(id), "its setup ended during the outage and READY waited for the database");
        long setupMs = told.getLong("setup_duration_ms");
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("status", a.status());
        figures.put("escrow_status", told.getString("status"));
        figures.put("answered_after_restart_ms", (a.answeredNanos() - up) / 1_000_000);
        figures.put("setup_duration_ms", setupMs);
        // Roughly how long the finished setup waited for the database to record READY.
        figures.put("waited_for_database_ms", Math.max(0, a.ms() - setupMs));
        return figures;
    }

    /** 503, promptly; problem+json with Retry-After from the API, DOWN naming the datasource from readiness. */
    private static void assertCleanRefusal(Answer a) {
        assertEquals(503, a.status(), a.what() + " while the database is down: " + a.body());
        assertTrue(a.ms() <= PROMPT.toMillis(), a.what() + " took " + a.ms() + " ms");
        if (a.what().startsWith("GET /q/health")) {
            assertEquals("DOWN", a.json().getString("status"));
            assertTrue(a.body().contains("Database connections health check"), a.body());
            return;
        }
        assertTrue(a.contentType().startsWith("application/problem+json"), a.what() + ": " + a.contentType());
        assertEquals("urn:escrow-stack:problem:database-unavailable", a.json().getString("type"));
        assertEquals(503, a.json().getInt("status"));
        int retryAfter = Integer.parseInt(a.retryAfter());
        assertTrue(retryAfter >= 1 && retryAfter <= 30, "Retry-After " + retryAfter);
    }

    @AfterEach
    void reportAndStopClients() throws Exception {
        clients.shutdownNow();
        report(figures);
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String initBody(String buyer, String vendor) {
        return "{\"buyer_id\":\"" + buyer + "\",\"vendor_id\":\"" + vendor + "\",\"amount\":2000}";
    }

    private Answer send(String what, String method, String path, String json, Duration timeout) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(root.toString().replaceAll("/$", "") + path)).timeout(timeout)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(what, r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
                    r.headers().firstValue("Retry-After").orElse(null), r.body(), sent, System.nanoTime());
        } catch (java.io.IOException e) {
            throw new AssertionError(what + ": no answer within " + timeout.toSeconds() + " s (" + e + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Per request kind: how many, their statuses, the slowest. */
    private static Map<String, Object> summary(List<Answer> answers) {
        Map<String, Object> byKind = new LinkedHashMap<>();
        answers.stream().collect(Collectors.groupingBy(Answer::what, LinkedHashMap::new, Collectors.toList())).forEach((what, list) -> {
            Map<String, Object> kind = new LinkedHashMap<>();
            kind.put("requests", list.size());
            kind.put("statuses", list.stream().collect(Collectors.groupingBy(a -> Integer.toString(a.status()), TreeMap::new, Collectors.counting())));
            kind.put("max_ms", list.stream().mapToLong(Answer::ms).max().orElse(0));
            byKind.put(what, kind);
        });
        return byKind;
    }

    private static long count(String where) throws Exception {
        return count("escrow", where);
    }

    private static long count(String table, String where) throws Exception {
        try (Connection c = PrivatePostgres.Resource.server.connect();
                ResultSet r = c.createStatement().executeQuery("select count(*) from " + table + " where " + where)) {
            r.next();
            return r.getLong(1);
        }
    }

    /** The escrow's row as stored, read past the service. */
    private static Map<String, Object> row(String id) throws Exception {
        try (Connection c = PrivatePostgres.Resource.server.connect();
                PreparedStatement q = c.prepareStatement(
                        "select status, multisig_address, arbiter_wallet_id, lease_id, updated_at from escrow where id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next(), "no row for " + id);
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= r.getMetaData().getColumnCount(); i++) {
                    row.put(r.getMetaData().getColumnName(i), r.getObject(i));
                }
                return row;
            }
        }
    }

    /** The escrows whose setup has ended and whose READY waits for the database: Recorded's warning says so. */
    record WaitingToRecord(Set<String> escrows, Handler handler) {
        private static final String LOGGER = "dev.escrowstack.escrow.service.Recorded";
        private static final Pattern WARNING = Pattern.compile("escrow (\\S+): the database is unreachable, recording READY again");

        static WaitingToRecord install() {
            Set<String> escrows = ConcurrentHashMap.newKeySet();
            Handler handler = new Handler() {
                @Override
                public void publish(LogRecord r) {
                    String message = r instanceof ExtLogRecord e ? e.getFormattedMessage() : r.getMessage();
                    Matcher m = WARNING.matcher(message == null ? "" : message);
                    if (m.find()) {
                        escrows.add(m.group(1));
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            Logger.getLogger(LOGGER).addHandler(handler);
            return new WaitingToRecord(escrows, handler);
        }

        void remove() {
            Logger.getLogger(LOGGER).removeHandler(handler);
        }
    }

    interface Check {
        boolean holds() throws Exception;
    }

    private static void waitFor(Duration patience, Check check) throws Exception {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!check.holds()) {
            assertTrue(System.nanoTime() < deadline, "not within " + patience.toSeconds() + " s");
            Thread.sleep(50);
        }
    }

    private static void report(Map<String, Object> figures) throws Exception {
        figures.forEach((k, v) -> {
            if (v instanceof Map<?, ?> kinds && k.equals("during_outage")) {
                kinds.forEach((what, kind) -> System.out.println(
                        "reliability: postgres restart during the outage, " + what + ": " + kind));
            } else {
                System.out.println("reliability: postgres restart " + k + " = " + v);
            }
        });
        Files.writeString(Path.of("target/reliability-postgres.json"),
                new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    }
}
