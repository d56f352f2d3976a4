package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.support.FakeGateway;
import dev.escrowstack.escrow.support.ScriptedGateway;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** What escrow-service does when the gateway or a wallet fails (a scripted gateway; the real one never fails on cue). */
@QuarkusTest
@TestProfile(ScriptedGateway.class)
class SetupFailureTest {

    @BeforeEach
    void reset() {
        FakeGateway.reset();
    }

    @Test
    void aWalletRefusalFailsTheEscrowWithRoundRoleOperationAndTheWalletsError() {
        FakeGateway.refuseMakeFor = "vendor";
        String id = init("b1", "v1", 5).then().statusCode(502).contentType("application/problem+json")
                .body("type", endsWith("multisig-setup-failed"))
                .body("round", is(1)).body("role", is("vendor")).body("operation", is("make_multisig"))
                .body("wallet_rpc_error_code", is(-28))
                .body("detail", containsString("already multisig"))
                // The analyzer library's diagnosis of the setup's own journal: where it surfaced, and why.
                .body("surfaced.wallets.role", contains("vendor")).body("surfaced.summary", containsString("the vendor wallet"))
                .body("root_cause.pattern", is("A")).body("root_cause.role", is("vendor")).body("root_cause.round", is(1))
                .body("root_cause.operation", is("make_multisig")).body("root_cause.cause", containsString("'already multisig' error"))
                .extract().path("escrow_id");
        api().get("/api/escrow/" + id).then().statusCode(200).body("status", is("FAILED"))
                .body("failure.round", is(1)).body("failure.role", is("vendor"))
                .body("failure.operation", is("make_multisig")).body("failure.wallet_rpc_error_code", is(-28))
                .body("failure.surfaced.wallets.role", contains("vendor"))
                .body("failure.root_cause.pattern", is("A")).body("failure.root_cause.role", is("vendor"))
                .body("multisig_address", nullValue());
        assertEquals(1, FakeGateway.calls("release"), "the lease is released");
        assertEquals(1, FakeGateway.calls("lease"), "a wallet's refusal is an answer: the setup does not start over");
        api().get("/api/escrow/" + id).then().body("attempts", is(1)).body("abandoned_attempts", nullValue());
        // The trace context reaches the gateway, so its spans join the escrow's trace and file.
        List<String> headers = FakeGateway.MAKE_TRACE_HEADERS.get("vendor");
        assertTrue(headers.get(0) != null && headers.get(0).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]"), "traceparent: " + headers);
        assertTrue(headers.get(1) != null && headers.get(1).contains("escrow.id=" + id) && headers.get(1).contains("escrow.round=1"),
                "baggage: " + headers);
    }

    @Test
    void aLostAnswerIsNeverRepeatedOnTheSameWalletsTheSetupStartsOverOnNewOnes() {
        FakeGateway.loseMakeAnswerFor = "arbiter";
        FakeGateway.loseMakeAnswers = 1;
        String id = init("b2", "v2", 5).then().statusCode(201).body("status", is("READY")).body("attempts", is(2))
                .body("wallets.buyer", is("w-b2")).extract().path("escrow_id");
        api().get("/api/escrow/" + id).then().statusCode(200).body("attempts", is(2)).body("failure", nullValue())
                .body("abandoned_attempts", hasSize(1))
                .body("abandoned_attempts[0].attempt", is(1)).body("abandoned_attempts[0].fault", is("gateway-unreachable"))
                .body("abandoned_attempts[0].round", is(1)).body("abandoned_attempts[0].role", is("arbiter"))
                .body("abandoned_attempts[0].operation", is("make_multisig")).body("abandoned_attempts[0].wallet_id", is("w-a1"))
                .body("abandoned_attempts[0].wallets.buyer", is("w-b1"));
        // make_multisig ran once on each wallet: never again on the first lease's after its answer was lost.
        assertEquals(1, FakeGateway.calls("make:l-fake-1:arbiter"));
        assertEquals(1, FakeGateway.calls("make:l-fake-2:arbiter"));
        // The abandoned attempt's lease goes back in the background (the next attempt does not wait for it).
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> FakeGateway.calls("release") == 2);
    }

    @Test
    void aFaultOnEveryAttemptFailsAfterTheLastWithEachAbandonedAttemptRecorded() {
        FakeGateway.loseMakeAnswerFor = "vendor";
        String id = init("b5", "v5", 5).then().statusCode(502).body("role", is("vendor")).body("operation", is("make_multisig"))
                .extract().path("escrow_id");
        api().get("/api/escrow/" + id).then().body("status", is("FAILED")).body("attempts", is(3))
                .body("abandoned_attempts.attempt", contains(1, 2)).body("abandoned_attempts.wallet_id", contains("w-v1", "w-v2"))
                .body("wallets.vendor", is("w-v3")).body("failure.role", is("vendor"));
        assertEquals(3, FakeGateway.calls("lease"), "escrow.setup.attempts (3), each on new wallets");
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> FakeGateway.calls("release") == 3);
    }

    @Test
    void aGrantCutOffByACrashedWalletRpcIsAskedForAgain() {
        FakeGateway.brokenGrants = 1;
        init("b6", "v6", 5).then().statusCode(201).body("status", is("READY")).body("attempts", is(1));
        assertEquals(2, FakeGateway.calls("lease"), "the 502 lease-setup-failed, then the grant");
    }

    @Test
    void aBusyGatewayIsRetriedHonouringRetryAfter() {
        FakeGateway.busyLeaseAnswers = 2;
        FakeGateway.refuseMakeFor = "buyer"; // ends the setup quickly once the lease is granted
        long started = System.nanoTime();
        init("b3", "v3", 5).then().statusCode(502);
        assertEquals(3, FakeGateway.calls("lease"), "two 503s, then the grant");
        assertTrue((System.nanoTime() - started) / 1_000_000 >= 2000, "Retry-After: 1 was honoured twice");
    }

    @Test
    void aGatewayBusyBeyondTheWaitIs503WithRetryAfterAndTheKeyCanBeRetried() {
        FakeGateway.busyLeaseAnswers = Integer.MAX_VALUE;
        String first = api().header("Idempotency-Key", "busy-key").body(Map.of("buyer_id", "b4", "vendor_id", "v4", "amount", 5))
                .post("/api/escrow/init").then().statusCode(503).contentType("application/problem+json")
                .header("Retry-After", not(emptyOrNullString()))
                .body("type", endsWith("no-wallets-available")).extract().path("escrow_id");
        api().get("/api/escrow/" + first).then().body("status", is("FAILED")).body("failure.operation", is("lease"));
        assertEquals(0, FakeGateway.calls("release"), "nothing was leased");

        // The capacity failure let the key go: the retry is a fresh attempt, not a replay of the 503.
        FakeGateway.busyLeaseAnswers = 0;
        FakeGateway.refuseMakeFor = "buyer";
        String second = api().header("Idempotency-Key", "busy-key").body(Map.of("buyer_id", "b4", "vendor_id", "v4", "amount", 5))
                .post("/api/escrow/init").then().statusCode(502).extract().path("escrow_id");
        assertNotEquals(first, second);
    }
}
