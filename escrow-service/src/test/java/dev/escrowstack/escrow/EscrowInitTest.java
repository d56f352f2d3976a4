package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.support.GatewayTestResource;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The skill's curl against a real gateway and real monero-wallet-rpc processes; idempotent retries of it. Concurrent
 * inits beyond the pool (queued, all READY, an address each) are ReliabilityIT's load test, on the whole stack.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = true)
class EscrowInitTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void oneInitGivesAReadyEscrowThatCanBeReadBack() {
        spans.reset();
        JsonPath escrow = init("buyer1", "vendor1", 1_000_000).then().statusCode(201)
                .header("Location", startsWith("/api/escrow/esc-"))
                .body("status", is("READY"))
                .body("buyer_id", is("buyer1")).body("vendor_id", is("vendor1")).body("amount", is(1_000_000))
                .body("multisig_address", matchesPattern("5[1-9A-HJ-NP-Za-km-z]{94}")) // a stagenet standard address
                .body("wallets.buyer", startsWith("w-")).body("wallets.vendor", startsWith("w-")).body("wallets.arbiter", startsWith("w-"))
                .body("setup_duration_ms", greaterThan(0))
                .body("failure", nullValue())
                .extract().jsonPath();
        String id = escrow.getString("escrow_id");
        assertEquals(3, Set.of(escrow.getString("wallets.buyer"), escrow.getString("wallets.vendor"),
                escrow.getString("wallets.arbiter")).size());

        api().get("/api/escrow/" + id).then().statusCode(200)
                .body("escrow_id", is(id)).body("status", is("READY"))
                .body("multisig_address", is(escrow.getString("multisig_address")))
                .body("wallets.arbiter", is(escrow.getString("wallets.arbiter")));
        asOperator().get("/api/escrow?status=READY&size=100").then().statusCode(200)
                .body("items.escrow_id", hasItem(id)).body("total", greaterThanOrEqualTo(1));
        asOperator().get("/api/escrow?status=FAILED&size=100").then().statusCode(200).body("items.escrow_id", not(hasItem(id)));

        assertTracing(id);
    }

    private void assertTracing(String id) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems()
                .stream().anyMatch(s -> s.getName().equals(SpanNames.ESCROW_INIT)));
        List<SpanData> all = spans.getFinishedSpanItems();
        SpanData init = all.stream().filter(s -> s.getName().equals(SpanNames.ESCROW_INIT)).findFirst().orElseThrow();
        assertEquals(id, init.getAttributes().get(AttributeKey.stringKey(ESCROW_ID)));
        assertEquals("buyer1", init.getAttributes().get(AttributeKey.stringKey(ESCROW_BUYER_ID)));
        assertEquals(1_000_000L, init.getAttributes().get(AttributeKey.longKey(ESCROW_AMOUNT)));
        assertEquals("READY", init.getAttributes().get(AttributeKey.stringKey(ESCROW_STATUS)));
        Set<Long> rounds = new HashSet<>();
        for (SpanData s : all) {
            if (s.getName().equals(SpanNames.ESCROW_ROUND)) {
                assertEquals(init.getSpanContext().getSpanId(), s.getParentSpanContext().getSpanId(), "rounds are children of escrow.init");
                rounds.add(s.getAttributes().get(AttributeKey.longKey(ESCROW_ROUND)));
            }
        }
        assertEquals(Set.of(1L, 2L, 3L, 4L), rounds);
        // ENABLE_INSTRUMENTATION unset: no snapshot at all, only the setup's own final check reads state.
        long stateReads = all.stream().filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT)
                .filter(s -> String.valueOf(s.getAttributes().get(AttributeKey.stringKey("url.full")))
                        .concat(String.valueOf(s.getAttributes().get(AttributeKey.stringKey("http.url")))).contains("/state"))
                .count();
        assertEquals(3, stateReads, "one state read per wallet, for the final check");
        assertTrue(init.getEvents().isEmpty(), "no snapshot events");
        // W3C trace context reaches the gateway: its calls are CLIENT spans here, in the same trace.
        assertTrue(all.stream().filter(s -> s.getName().startsWith("POST")).allMatch(s -> s.getTraceId().equals(init.getTraceId())));
    }

    @Test
    void aRetryWithTheSameIdempotencyKeyReturnsTheSameEscrow() {
        String key = "order-" + System.nanoTime();
        String id = api().header("Idempotency-Key", key).body(Map.of("buyer_id", "idem-b", "vendor_id", "idem-v", "amount", 42)).post("/api/escrow/init").then()
                .statusCode(201).body("status", is("READY")).extract().path("escrow_id");
        api().header("Idempotency-Key", key).body(Map.of("buyer_id", "idem-b", "vendor_id", "idem-v", "amount", 42)).post("/api/escrow/init").then()
                .statusCode(200).header("Idempotent-Replayed", "true")
                .body("escrow_id", is(id)).body("status", is("READY"));
        api().header("Idempotency-Key", key).body(Map.of("buyer_id", "idem-b", "vendor_id", "idem-v", "amount", 43)).post("/api/escrow/init").then()
                .statusCode(422).contentType("application/problem+json").body("escrow_id", is(id));
        // The test gateway's wallets run offline: they cannot see funds, and the answer says so (not "zero").
        api().get("/api/escrow/" + id + "/funding").then().statusCode(409).contentType("application/problem+json")
                .body("type", endsWith("funds-disabled")).body("detail", containsString("MONEROD=regtest"));
        // Without the key, the same body is a new escrow.
        api().body(Map.of("buyer_id", "idem-b", "vendor_id", "idem-v", "amount", 42)).post("/api/escrow/init").then().statusCode(201)
                .body("escrow_id", not(is(id)));
    }
}
