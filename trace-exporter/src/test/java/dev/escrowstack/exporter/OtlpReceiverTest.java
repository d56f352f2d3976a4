package dev.escrowstack.exporter;

import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** The receiver fed by the real OpenTelemetry Java SDK exporter, and by hand for what the SDK never sends. */
@QuarkusTest
class OtlpReceiverTest {

    static final Path FILES = Path.of("target/escrow-files");
    /** Spans that state an escrow's status count only from its owner, escrow-service (SpanIntake). */
    static final Resource ESCROW_SERVICE = Resource.getDefault()
            .merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "escrow-service")));

    @TestHTTPResource("/v1/traces")
    URL endpoint;

    @Test
    void protobufFromTheSdkBecomesTheSkillsEscrowFile() throws Exception {
        String id = "esc-proto-" + System.nanoTime();
        emitEscrow(id, "none", false);
        List<Map<String, Object>> events = awaitFile(id, 6);
        List<String> types = events.stream().map(e -> (String) e.get("event_type")).toList();
        assertTrue(types.containsAll(List.of(EventTypes.STATE_CHANGE, EventTypes.RPC_CALL_START, EventTypes.RPC_CALL_END,
                EventTypes.SNAPSHOT_PRE_ROUND1, EventTypes.LEASE_ACQUIRED)), types.toString());
        Map<String, Object> end = events.stream().filter(e -> e.get("event_type").equals(EventTypes.RPC_CALL_END)).findFirst().orElseThrow();
        assertEquals("buyer", end.get("role"));
        assertEquals(18082, end.get("rpc_port"));
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) end.get("details");
        assertEquals("make_multisig", details.get("method"));
        assertEquals(true, details.get("success"));
        assertTrue(((Number) details.get("duration_ms")).longValue() >= 20);
        assertEquals(List.of("aa", "bb"), details.get("input_info_hashes"));
        Map<String, Object> snapshot = events.stream().filter(e -> e.get("event_type").equals(EventTypes.SNAPSHOT_PRE_ROUND1))
                .findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        Map<String, Object> snap = (Map<String, Object>) snapshot.get("details");
        assertEquals(false, snap.get("is_multisig"));
        assertEquals(List.of(0, 0), snap.get("balance"));
        for (int i = 1; i < events.size(); i++) {
            assertTrue(((Number) events.get(i - 1).get("timestamp")).longValue() <= ((Number) events.get(i).get("timestamp")).longValue(),
                    "events are sorted by time");
        }
        given().get("/api/traces").then().statusCode(200).body("escrow_id", hasItem(id));
        given().get("/api/traces/" + id).then().statusCode(200).body("event_type", hasItem("RPC_CALL_START"));
        given().get("/api/traces/" + id + "/file").then().statusCode(200)
                .header("Content-Disposition", containsString("escrow_" + id + ".json"));
        given().get("/api/traces/esc-unknown").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/traces/..%2F..%2Fetc").then().statusCode(anyOf(is(400), is(404)));
    }

    @Test
    void gzipFromTheSdkWorksAndAFailedEscrowEndsWithErrorFinal() throws Exception {
        String id = "esc-gzip-" + System.nanoTime();
        emitEscrow(id, "gzip", true);
        List<Map<String, Object>> events = awaitFile(id, 9);
        Map<String, Object> last = events.stream().filter(e -> e.get("event_type").equals(EventTypes.ERROR_FINAL)).findFirst().orElseThrow();
        assertEquals("vendor", last.get("role"));
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) last.get("details");
        assertTrue(details.get("error").toString().contains("already multisig"));
        @SuppressWarnings("unchecked")
        Map<String, Object> context = (Map<String, Object>) details.get("context");
        assertEquals(1, context.get("round"));
        assertEquals("make_multisig", context.get("operation"));
        assertEquals(id, context.get("escrow"));
        assertTrue(events.stream().anyMatch(e -> e.get("event_type").equals(EventTypes.RPC_CALL_ERROR)));
        given().get("/api/traces").then().body("find { it.escrow_id == '" + id + "' }.status", is("FAILED"));
        // The analyzer, served: the vendor wallet, round 1, make_multisig, "already multisig" — Pattern A.
        given().get("/api/traces/" + id + "/diagnosis").then().statusCode(200)
                .body("status", is("FAILED"))
                .body("diagnosis.problem_found", is(true))
                .body("diagnosis.findings[0].pattern", is("A"))
                .body("diagnosis.findings[0].role", is("vendor"))
                .body("diagnosis.findings[0].round", is(1))
                .body("diagnosis.findings[0].operation", is("make_multisig"))
                .body("diagnosis.findings[0].fix", containsString("fresh wallets"));
        String clean = "esc-clean-" + System.nanoTime();
        emitEscrow(clean, "none", false);
        awaitFile(clean, 6);
        given().get("/api/traces/" + clean + "/diagnosis").then().statusCode(200).body("diagnosis.problem_found", is(false));
        given().get("/api/traces/" + clean + "/compare/" + id).then().statusCode(200)
                .body("diverged", is(true))
                .body("event_types.RPC_CALL_ERROR", is(List.of(0, 1)));
        given().get("/api/traces/esc-unknown/diagnosis").then().statusCode(404).contentType("application/problem+json");
        given().get("/api/traces/" + clean + "/compare/esc-unknown").then().statusCode(404);
    }

    @Test
    void otlpJsonWithHexIdsStringInt64sUnknownFieldsAndACharsetIsAccepted() throws Exception {
        String id = "esc-json-" + System.nanoTime();
        long now = System.currentTimeMillis() * 1_000_000L;
        String json = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"t"}}]},
                 "somethingNew": true,
                 "scopeSpans":[{"spans":[{
                   "traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","parentSpanId":"",
                   "name":"monero-wallet-rpc/prepare_multisig","kind":3,
                   "startTimeUnixNano":"%d","endTimeUnixNano":%d,
                   "attributes":[{"key":"escrow.id","value":{"stringValue":"%s"}},
                                 {"key":"escrow.role","value":{"stringValue":"arbiter"}},
                                 {"key":"server.port","value":{"intValue":"18084"}},
                                 {"key":"rpc.method","value":{"stringValue":"prepare_multisig"}}],
                   "status":{"code":0}}]}]}]}
                """.formatted(now, now + 5_000_000L, id);
        given().contentType("application/json; charset=utf-8").body(json).post("/v1/traces").then().statusCode(200)
                .contentType(startsWith("application/json"));
        List<Map<String, Object>> events = awaitFile(id, 2);
        assertEquals("5b8efff798038103d269b633813fc60c", events.get(0).get("trace_id"));
        assertEquals(18084, events.get(0).get("rpc_port"));
    }

    @Test
    void badRequestsGetTheirOtlpStatusCodes() throws Exception {
        given().contentType("application/x-protobuf").body(new byte[] { 0x0a, (byte) 0xff, 0x01 }).post("/v1/traces")
                .then().statusCode(400).contentType("application/x-protobuf");
        given().contentType("application/json").body("{\"resourceSpans\": [").post("/v1/traces").then().statusCode(400)
                .body("code", is(3)).body("message", containsString("undecodable OTLP JSON"));
        given().contentType("application/json").body("{\"resourceSpans\": 7}").post("/v1/traces").then().statusCode(400)
                .body("message", startsWith("undecodable OTLP JSON"));
        given().contentType("application/json").body("{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"xyz\"}]}]}]}")
                .post("/v1/traces").then().statusCode(400).body("message", containsString("hex"));
        given().contentType("text/plain").body("hello").post("/v1/traces").then().statusCode(415);
        given().contentType("application/json").header("Content-Encoding", "br").body("{}").post("/v1/traces").then().statusCode(400);
        // What the caller sent is echoed back short, never whole.
        given().contentType("application/json").header("Content-Encoding", "x".repeat(5000)).body("{}").post("/v1/traces")
                .then().statusCode(400).body("message.length()", lessThan(200));
        given().contentType("application/json").header("Content-Encoding", "gzip").body("not gzip").post("/v1/traces").then().statusCode(400);
        given().contentType("application/json").body("{}").post("/v1/traces").then().statusCode(200);
        given().contentType("application/x-protobuf").body(new byte[0]).post("/v1/traces").then().statusCode(200);
        given().get("/v1/traces").then().statusCode(405);

        // 21 MiB of zeros gzip to a few KiB: the receiver stops at 20 MiB decompressed.
        ByteArrayOutputStream bomb = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
            gz.write(new byte[21 * 1024 * 1024]);
        }
        given().contentType("application/x-protobuf").header("Content-Encoding", "gzip").body(bomb.toByteArray())
                .post("/v1/traces").then().statusCode(413);
    }

    @Test
    void spansWithBadIdsAreAPartialSuccessAndHostileEscrowIdsWriteNoFile() {
        String json = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[
                  {"traceId":"0102","spanId":"0304","name":"x","attributes":[{"key":"escrow.id","value":{"stringValue":"esc-partial"}}]},
                  {"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b175","name":"monero-wallet-rpc/x",
                   "attributes":[{"key":"escrow.id","value":{"stringValue":"../../escaped"}}]}]}]}]}
                """;
        JsonPath answer = given().contentType("application/json").body(json).post("/v1/traces").then().statusCode(200)
                .extract().jsonPath();
        assertEquals("1", String.valueOf(answer.getString("partialSuccess.rejectedSpans")));
        assertFalse(answer.getString("partialSuccess.errorMessage").isBlank());
        assertFalse(Files.exists(FILES.resolve("escrow_esc-partial.json")));
        assertFalse(Files.exists(FILES.getParent().resolve("escaped.json")));
        assertFalse(Files.exists(Path.of("target/escaped.json")));
    }

    @Test
    void fundingDisputeAndPayoutSpansAreStateChangesAndTheLastOneIsTheStatus() throws Exception {
        String id = "esc-funds-" + System.nanoTime();
        emitEscrow(id, "none", false);
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).build();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .setResource(ESCROW_SERVICE).build();
        Tracer tracer = provider.get("test");
        tracer.spanBuilder(SpanNames.ESCROW_FUNDING).setAttribute(ESCROW_ID, id).startSpan().end(); // a quiet poll: no event
        Thread.sleep(5);
        tracer.spanBuilder(SpanNames.ESCROW_FUNDING).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_STATUS, "FUNDED")
                .setAttribute(ESCROW_RECEIVED, 5L).setAttribute(ESCROW_FUNDING_STATE, "FUNDED").startSpan().end();
        Thread.sleep(5); // root spans anchor their own clocks: a millisecond apart, two could swap places
        tracer.spanBuilder(SpanNames.ESCROW_DISPUTE).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_ROLE, "buyer")
                .setAttribute(ESCROW_STATUS, "DISPUTED").startSpan().end();
        Thread.sleep(5);
        tracer.spanBuilder(SpanNames.ESCROW_PAYOUT).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_OPERATION, "resolve_vendor")
                .setAttribute(ESCROW_STATUS, "RESOLVED").setAttribute(AttributeKey.stringArrayKey(PAYOUT_TX_HASHES), List.of("ab".repeat(32)))
                .setAttribute(PAYOUT_FEE, 2L).startSpan().end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
        List<Map<String, Object>> events = awaitFile(id, 10);
        @SuppressWarnings("unchecked")
        List<String> states = events.stream().filter(e -> e.get("event_type").equals(EventTypes.STATE_CHANGE))
                .map(e -> (String) ((Map<String, Object>) e.get("details")).get("state")).toList();
        assertEquals(List.of("INITIALIZING", "READY", "FUNDED", "DISPUTED", "PAYOUT_PENDING", "RESOLVED"), states);
        given().get("/api/traces").then().body("find { it.escrow_id == '" + id + "' }.status", is("RESOLVED"));
        given().get("/api/traces/" + id + "/diagnosis").then().statusCode(200).body("diagnosis.problem_found", is(false));
    }

    /**
     * A snapshot that could not be read (the gateway call failed) carries no port, on a span that has none: it
     * is still an event, and the escrow's end, exported in the same batch, still reaches the file.
     */
    @Test
    void aFailedSnapshotWithoutAPortCostsNoOtherEvent() throws Exception {
        String id = "esc-noport-" + System.nanoTime();
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).build();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .setResource(ESCROW_SERVICE).build();
        Span init = provider.get("test").spanBuilder(SpanNames.ESCROW_INIT).setAttribute(ESCROW_ID, id).startSpan();
        init.addEvent(EventTypes.SNAPSHOT_PRE_ROUND1, Attributes.builder().put("role", "vendor").put("wallet_id", "w-2")
                .put("error", "wallet-gateway unreachable").build());
        init.setAttribute(ESCROW_STATUS, "FAILED").setStatus(StatusCode.ERROR, "round 1: the gateway went away");
        init.end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
        List<Map<String, Object>> events = awaitFile(id, 3);
        assertTrue(events.stream().anyMatch(e -> e.get("event_type").equals(EventTypes.SNAPSHOT_PRE_ROUND1) && e.get("rpc_port") == null),
                events.toString());
        assertTrue(events.stream().anyMatch(e -> e.get("event_type").equals(EventTypes.ERROR_FINAL)), events.toString());
    }

    /**
     * Another producer (any service.name but escrow-service) sends an escrow.init span that claims the READY escrow
     * FAILED: forwarded like any span, but neither the status, the file nor the list change.
     */
    @Test
    void aForgedFinalStateFromAnotherProducerChangesNothing() throws Exception {
        String id = "esc-forged-" + System.nanoTime();
        emitEscrow(id, "none", false);
        awaitFile(id, 6);
        given().get("/api/traces").then().body("find { it.escrow_id == '" + id + "' }.status", is("READY"));

        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).build();
        SdkTracerProvider intruder = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "intruder"))).build();
        Span forged = intruder.get("forger").spanBuilder(SpanNames.ESCROW_INIT).setAttribute(ESCROW_ID, id)
                .setAttribute(ESCROW_STATUS, "FAILED").startSpan();
        forged.setStatus(StatusCode.ERROR, "forged failure");
        forged.end();
        intruder.forceFlush().join(10, TimeUnit.SECONDS);
        intruder.shutdown().join(10, TimeUnit.SECONDS);
        // Counted once routed: only then is its absence from the file meaningful.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> given().get("/q/metrics").asString()
                .lines().anyMatch(l -> l.startsWith("exporter_spans_unowned_total") && !l.endsWith(" 0.0")));
        given().get("/api/traces").then().body("find { it.escrow_id == '" + id + "' }.status", is("READY"));
        List<Map<String, Object>> events = awaitFile(id, 6);
        assertTrue(events.stream().noneMatch(e -> e.get("event_type").equals(EventTypes.ERROR_FINAL)), events.toString());
        assertTrue(events.stream().noneMatch(e -> "FAILED".equals(((Map<?, ?>) e.get("details")).get("state"))), events.toString());
    }

    /**
     * A payout step from escrow-service becomes PARTY_PAYOUT on the party's lane; the same span from a party's own
     * client (service.name escrow-party) is forwarded but makes no event: it could blame the other party or clear itself.
     */
    @Test
    void aPartyPayoutStepCountsOnlyFromEscrowService() throws Exception {
        String id = "esc-payout-" + System.nanoTime();
        emitEscrow(id, "none", false);
        awaitFile(id, 6);
        double unowned = unownedSpans();
        payoutStep(ESCROW_SERVICE, id, "txset");
        payoutStep(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "escrow-party")), id, "sync-imported");
        // Counted once routed: only then is its absence from the file meaningful.
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> unownedSpans() > unowned);
        List<Map<String, Object>> events = awaitFile(id, 7);
        List<Map<?, ?>> steps = events.stream().filter(e -> e.get("event_type").equals(EventTypes.PARTY_PAYOUT))
                .<Map<?, ?>>map(e -> (Map<?, ?>) e.get("details")).toList();
        assertEquals(1, steps.size(), events.toString());
        assertEquals("txset", steps.get(0).get("step"));
        assertEquals("REFUSED", steps.get(0).get("outcome"));
        assertEquals(false, steps.get(0).get("success"));
        assertEquals("vendor", events.stream().filter(e -> e.get("event_type").equals(EventTypes.PARTY_PAYOUT)).findFirst()
                .orElseThrow().get("role"));
    }

    private static double unownedSpans() {
        return given().get("/q/metrics").asString().lines().filter(l -> l.startsWith("exporter_spans_unowned_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void payoutStep(Resource resource, String id, String step) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).build();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .setResource(resource).build();
        Span span = provider.get("test").spanBuilder(SpanNames.ESCROW_PARTY_PAYOUT).setAttribute(ESCROW_ID, id)
                .setAttribute(ESCROW_ROLE, "vendor").setAttribute(ESCROW_OPERATION, "release").setAttribute(PARTY_PAYOUT_STEP, step)
                .setAttribute(PARTY_PAYOUT_EPOCH, 2L).setAttribute(PARTY_PAYOUT_OUTCOME, "REFUSED")
                .setAttribute(PARTY_PAYOUT_DESTINATION_SHA256, "d1d1").setAttribute(PARTY_PAYOUT_EXPECTED_SHA256, "e2e2").startSpan();
        span.setStatus(StatusCode.ERROR, "txset-refused: pays another address");
        span.end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    /** An escrow-shaped trace, as escrow-service and the gateway emit it, through the real SDK exporter. */
    private void emitEscrow(String id, String compression, boolean fail) throws Exception {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).setCompression(compression)
                .setTimeout(Duration.ofSeconds(10)).build();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .setResource(ESCROW_SERVICE).build();
        Tracer tracer = provider.get("test");
        Span init = tracer.spanBuilder(SpanNames.ESCROW_INIT).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_BUYER_ID, "b")
                .setAttribute(ESCROW_VENDOR_ID, "v").setAttribute(ESCROW_AMOUNT, 5L).startSpan();
        try (Scope s = init.makeCurrent()) {
            init.addEvent(EventTypes.SNAPSHOT_PRE_ROUND1, Attributes.builder().put("role", "buyer").put("wallet_id", "w-1")
                    .put("is_multisig", false).put(AttributeKey.longArrayKey("balance"), List.of(0L, 0L)).put("rpc_port", 18082L).build());
            tracer.spanBuilder(SpanNames.LEASE_ACQUIRE).setAttribute(ESCROW_ID, id).setAttribute(LEASE_ID, "l-1")
                    .setAttribute(LEASE_WAIT_MS, 3L).startSpan().end();
            Span call = tracer.spanBuilder(SpanNames.walletRpc("make_multisig")).setSpanKind(SpanKind.CLIENT)
                    .setAttribute(ESCROW_ID, id).setAttribute(ESCROW_ROLE, "buyer").setAttribute(RPC_METHOD, "make_multisig")
                    .setAttribute(SERVER_PORT, 18082L).setAttribute(AttributeKey.stringArrayKey(MULTISIG_INPUT_SHA256), List.of("aa", "bb"))
                    .startSpan();
            Thread.sleep(25);
            call.end();
            if (fail) {
                Span bad = tracer.spanBuilder(SpanNames.walletRpc("make_multisig")).setSpanKind(SpanKind.CLIENT).setAttribute(ESCROW_ID, id)
                        .setAttribute(ESCROW_ROLE, "vendor").setAttribute(RPC_METHOD, "make_multisig").setAttribute(SERVER_PORT, 18083L)
                        .setAttribute(RPC_JSONRPC_ERROR_CODE, -28L).setAttribute(RPC_JSONRPC_ERROR_MESSAGE, "This wallet is already multisig")
                        .startSpan();
                bad.setStatus(StatusCode.ERROR, "This wallet is already multisig");
                bad.end();
                init.setAttribute(ESCROW_STATUS, "FAILED").setAttribute(ESCROW_ROLE, "vendor").setAttribute(ESCROW_ROUND, 1L)
                        .setAttribute(ESCROW_OPERATION, "make_multisig");
                init.setStatus(StatusCode.ERROR, "make_multisig: the vendor wallet refused make_multisig: already multisig");
            } else {
                init.setAttribute(ESCROW_STATUS, "READY");
            }
        } finally {
            init.end();
        }
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> awaitFile(String id, int minEvents) {
        Path file = FILES.resolve("escrow_" + id + ".json");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                && new ObjectMapper().readValue(file.toFile(), List.class).size() >= minEvents);
        try {
            return new ObjectMapper().readValue(file.toFile(), List.class);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
