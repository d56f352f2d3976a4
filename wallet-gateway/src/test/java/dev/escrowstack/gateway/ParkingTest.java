package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.matchesPattern;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.Gateway.Lease;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/**
 * A released wallet stays open ("parked") in its process, so leasing it again costs no open_wallet;
 * an expired one is closed. Without spares, so that nothing else wants the process meanwhile.
 */
@QuarkusTest
@TestProfile(ParkingTest.NoSpares.class)
class ParkingTest {

    public static class NoSpares implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.wallets.spares", "0", "gateway.pool.size", "2", "gateway.pool.base-port", "18350");
        }
    }

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aReleasedWalletIsParkedAndLeasedAgainWithoutReopening() {
        awaitIdlePool(0);
        Lease first = Lease.of(lease("esc-park", newWallets("buyer"), 30));
        String walletId = first.walletId("buyer");
        // The skill's snapshot fields: the keys file's permissions, and the one wallet its process has open.
        first.call().get(first.path("buyer", "state")).then().statusCode(200)
                .body("file_perms", matchesPattern("[0-7]{3}")).body("open_wallets_count", is(1));
        first.release();
        api().get("/v1/pool").then().body("processes[" + first.process("buyer") + "].open_wallet", is("parked"));
        // FILE_OPERATION's spans: created for the escrow, then stored and left open (parked), each with its wallet.
        SpanData created = awaitFileSpan("create", walletId);
        assertEquals("esc-park", created.getAttributes().get(AttributeKey.stringKey(ESCROW_ID)));
        assertEquals("buyer", created.getAttributes().get(AttributeKey.stringKey(ESCROW_ROLE)));
        assertEquals(StatusCode.UNSET, created.getStatus().getStatusCode());
        SpanData parked = awaitFileSpan("park", walletId);
        assertEquals("esc-park", parked.getAttributes().get(AttributeKey.stringKey(ESCROW_ID)));
        assertTrue(parked.getAttributes().get(AttributeKey.stringKey(WALLET_FILE_PERMS)).matches("[0-7]{3}"));
        assertTrue(spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(SpanNames.walletRpc("store"))
                && s.getParentSpanId().equals(parked.getSpanId())), "the store call is the park's child");

        spans.reset();
        Lease again = Lease.of(lease("esc-park", Map.of("buyer", Map.of("wallet_id", walletId)), 30));
        assertEquals(first.process("buyer"), again.process("buyer"), "the lease goes where the wallet is parked");
        again.call().get(again.path("buyer", "state")).then().statusCode(200).body("wallet_id", is(walletId));
        awaitSpan("get_address", again.id());
        assertTrue(spans.getFinishedSpanItems().stream().noneMatch(s -> s.getName().equals(SpanNames.walletRpc("open_wallet"))),
                "no open_wallet for a parked wallet");

        // A new-wallet lease on the other process must never be handed the parked wallet (Pattern A).
        Lease fresh = Lease.of(lease("esc-park-2", newWallets("buyer"), 30));
        assertNotEquals(walletId, fresh.walletId("buyer"));
        fresh.release();
        again.release();

        // Two parked wallets in one lease: each role goes to the process where its wallet is parked.
        Lease both = Lease.of(lease("esc-park-3", Map.of("buyer", Map.of("wallet_id", walletId),
                "vendor", Map.of("wallet_id", fresh.walletId("buyer"))), 30));
        both.call().get(both.path("vendor", "state")).then().statusCode(200).body("wallet_id", is(fresh.walletId("buyer")));
        awaitSpan("get_address", both.id());
        assertTrue(spans.getFinishedSpanItems().stream().noneMatch(s -> s.getName().equals(SpanNames.walletRpc("open_wallet"))
                && both.id().equals(s.getAttributes().get(AttributeKey.stringKey(LEASE_ID)))),
                "both wallets were parked where the lease found them");
        both.release();
    }

    private SpanData awaitFileSpan(String operation, String walletId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> fileSpan(operation, walletId) != null);
        return fileSpan(operation, walletId);
    }

    private SpanData fileSpan(String operation, String walletId) {
        return spans.getFinishedSpanItems().stream().filter(s -> s.getName().equals(SpanNames.WALLET_FILE)
                && operation.equals(s.getAttributes().get(AttributeKey.stringKey(WALLET_FILE_OPERATION)))
                && walletId.equals(s.getAttributes().get(AttributeKey.stringKey(WALLET_ID)))).findFirst().orElse(null);
    }

    /** Spans are exported in batches: wait for one we know was made before asserting an absence. */
    private void awaitSpan(String method, String leaseId) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems()
                .stream().anyMatch(s -> s.getName().equals(SpanNames.walletRpc(method))
                        && leaseId.equals(s.getAttributes().get(AttributeKey.stringKey(LEASE_ID)))));
    }
}
