package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.Gateway.Lease;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/** A whole 2-of-3 setup through the gateway's typed operations, on real monero-wallet-rpc processes. */
@QuarkusTest
class MultisigSetupTest {

    static final List<String> ROLES = List.of("buyer", "vendor", "arbiter");

    @Inject
    InMemorySpanExporter spans;

    @BeforeEach
    void idle() {
        awaitIdlePool(3);
        spans.reset();
    }

    @Test
    void twoOfThreeSetupGivesOneAddressOnAllThreeWallets() {
        Lease lease = Lease.of(lease("esc-setup-1", newWallets("buyer", "vendor", "arbiter"), 30));
        Set<String> walletIds = ROLES.stream().map(lease::walletId).collect(Collectors.toSet());
        assertEquals(3, walletIds.size(), "three distinct wallets");
        Set<Integer> processes = ROLES.stream().map(lease::process).collect(Collectors.toSet());
        assertEquals(3, processes.size(), "three distinct processes");

        for (String role : ROLES) {
            lease.call().get(lease.path(role, "state")).then().statusCode(200)
                    .body("is_multisig", is(false)).body("file_exists", is(true)).body("wallet_id", is(lease.walletId(role)));
        }

        Map<String, String> round1 = new HashMap<>();
        for (String role : ROLES) {
            JsonPath r = lease.call().post(lease.path(role, "multisig/prepare")).then().statusCode(200).extract().jsonPath();
            assertTrue(r.getString("multisig_info").startsWith("Multisig"));
            assertEquals(Hashes.sha256Hex(r.getString("multisig_info")), r.getString("multisig_info_sha256"));
            round1.put(role, r.getString("multisig_info"));
        }
        completeSetup(lease, round1);

        Set<String> addresses = new java.util.HashSet<>();
        for (String role : ROLES) {
            JsonPath state = lease.call().get(lease.path(role, "state")).then().statusCode(200)
                    .body("is_multisig", is(true)).body("ready", is(true)).body("threshold", is(2)).body("total", is(3))
                    .extract().jsonPath();
            addresses.add(state.getString("address"));
        }
        assertEquals(1, addresses.size(), "all three wallets report the same multisig address");
        assertFalse(addresses.iterator().next().isEmpty());

        // A second prepare on a multisig wallet: the wallet's own error comes back with its code.
        lease.call().post(lease.path("buyer", "multisig/prepare")).then().statusCode(422)
                .contentType("application/problem+json")
                .body("wallet_rpc_error_code", is(-28))
                .body("wallet_rpc_error_message", containsString("already multisig"))
                .body("role", is("buyer"));

        lease.release();
        assertSpans(lease, round1);
    }

    /**
     * monero-wallet-rpc re-encrypts the keys file with the password of make_multisig and exchange_multisig_keys.
     * A caller's password there must not lock the gateway out: the gateway puts in the wallet's own, so the
     * wallets open again in a new lease.
     */
    @Test
    void aCallersPasswordOnThePassThroughDoesNotLockTheGatewayOut() {
        Lease lease = Lease.of(lease("esc-setup-password", newWallets("buyer", "vendor", "arbiter"), 60));
        Map<String, String> infos = new HashMap<>();
        for (String role : ROLES) {
            infos.put(role, rpc(lease, role, "prepare_multisig", Map.of("enable_multisig_experimental", true))
                    .getString("result.multisig_info"));
        }
        Map<String, String> next = new HashMap<>();
        for (String role : ROLES) {
            next.put(role, rpc(lease, role, "make_multisig",
                    Map.of("multisig_info", others(infos, role), "threshold", 2, "password", "callers-own-password"))
                    .getString("result.multisig_info"));
        }
        Set<String> addresses = new java.util.HashSet<>();
        for (int round = 2; round <= 3; round++) {
            Map<String, String> current = next;
            next = new HashMap<>();
            for (String role : ROLES) {
                JsonPath r = rpc(lease, role, "exchange_multisig_keys",
                        Map.of("multisig_info", others(current, role), "password", "callers-own-password"));
                next.put(role, r.getString("result.multisig_info"));
                if (round == 3) {
                    addresses.add(r.getString("result.address"));
                }
            }
        }
        assertEquals(1, addresses.size(), "one multisig address: " + addresses);
        lease.release();

        // New wallets on all four processes push the three out of where they are parked, so that the next
        // lease must open them from their files, with the gateway's password.
        Lease three = Lease.of(lease("esc-setup-displace", newWallets("buyer", "vendor", "arbiter"), 60));
        Lease fourth = Lease.of(lease("esc-setup-displace-2", newWallets("buyer"), 60));
        three.release();
        fourth.release();
        Map<String, Object> same = new HashMap<>();
        ROLES.forEach(role -> same.put(role, Map.of("wallet_id", lease.walletId(role))));
        Lease again = Lease.of(lease("esc-setup-password-2", same, 60));
        for (String role : ROLES) {
            again.call().get(again.path(role, "state")).then().statusCode(200)
                    .body("wallet_id", is(lease.walletId(role))).body("is_multisig", is(true)).body("ready", is(true))
                    .body("address", is(addresses.iterator().next()));
        }
        again.release();
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> spans.getFinishedSpanItems().stream()
                .filter(span -> span.getName().equals(SpanNames.walletRpc("open_wallet"))
                        && again.id().equals(span.getAttributes().get(AttributeKey.stringKey(LEASE_ID))))
                .count() == 3);
    }

    private static JsonPath rpc(Lease lease, String role, String method, Map<String, Object> params) {
        JsonPath reply = lease.call().body(Map.of("jsonrpc", "2.0", "id", "1", "method", method, "params", params))
                .post(lease.path(role, "json_rpc")).then().statusCode(200).extract().jsonPath();
        assertNull(reply.get("error"), () -> method + " on the " + role + " wallet: " + reply.prettify());
        return reply;
    }

    private void assertSpans(Lease lease, Map<String, String> round1) {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> spans.getFinishedSpanItems().stream().anyMatch(s -> s.getName().equals(SpanNames.LEASE_RELEASE)));
        List<SpanData> all = new ArrayList<>(spans.getFinishedSpanItems());
        List<SpanData> make = all.stream().filter(s -> s.getName().equals(SpanNames.walletRpc("make_multisig"))).toList();
        assertEquals(3, make.size(), "one CLIENT span per make_multisig call");
        for (SpanData span : make) {
            assertEquals(SpanKind.CLIENT, span.getKind());
            var a = span.getAttributes();
            assertEquals("jsonrpc", a.get(AttributeKey.stringKey(RPC_SYSTEM)));
            assertEquals("make_multisig", a.get(AttributeKey.stringKey(RPC_METHOD)));
            assertEquals("esc-setup-1", a.get(AttributeKey.stringKey(ESCROW_ID)));
            assertEquals(lease.id(), a.get(AttributeKey.stringKey(LEASE_ID)));
            String role = a.get(AttributeKey.stringKey(ESCROW_ROLE));
            assertTrue(ROLES.contains(role));
            assertEquals(lease.walletId(role), a.get(AttributeKey.stringKey(WALLET_ID)));
            assertNotNull(a.get(AttributeKey.longKey(SERVER_PORT)));
            // Pattern C becomes visible through hashes: the inputs are exactly the other two roles' infos.
            List<String> inputs = a.get(AttributeKey.stringArrayKey(MULTISIG_INPUT_SHA256));
            assertEquals(others(round1, role).stream().map(Hashes::sha256Hex).toList(), inputs);
        }
        SpanData failed = all.stream().filter(s -> s.getName().equals(SpanNames.walletRpc("prepare_multisig"))
                && s.getAttributes().get(AttributeKey.longKey(RPC_JSONRPC_ERROR_CODE)) != null).findFirst().orElseThrow();
        assertEquals(-28L, failed.getAttributes().get(AttributeKey.longKey(RPC_JSONRPC_ERROR_CODE)));
        assertEquals(io.opentelemetry.api.trace.StatusCode.ERROR, failed.getStatus().getStatusCode());
        assertTrue(all.stream().anyMatch(s -> s.getName().equals(SpanNames.LEASE_ACQUIRE)
                && lease.id().equals(s.getAttributes().get(AttributeKey.stringKey(LEASE_ID)))
                && s.getAttributes().get(AttributeKey.longKey(LEASE_WAIT_MS)) != null));

        // Secrets hygiene: no multisig info and no password in any span attribute.
        for (SpanData span : all) {
            span.getAttributes().forEach((key, value) -> {
                String text = String.valueOf(value);
                assertFalse(text.contains("Multisig"), () -> "span " + span.getName() + " attribute " + key + " leaks a multisig info");
                round1.values().forEach(info -> assertFalse(text.contains(info)));
            });
        }
    }

    /**
     * Rounds 1 (make_multisig, after {@code round1}'s prepare) to 3, each wallet given the OTHER two infos;
     * returns the multisig address of the last exchange.
     */
    static String completeSetup(Lease lease, Map<String, String> round1) {
        Map<String, String> next = new HashMap<>();
        for (String role : ROLES) {
            JsonPath r = lease.call().body(Map.of("multisig_info", others(round1, role), "threshold", 2))
                    .post(lease.path(role, "multisig/make")).then().statusCode(200).extract().jsonPath();
            next.put(role, r.getString("multisig_info"));
        }
        String address = null;
        for (int round = 2; round <= 3; round++) {
            Map<String, String> current = next;
            next = new HashMap<>();
            for (String role : ROLES) {
                JsonPath r = lease.call().body(Map.of("multisig_info", others(current, role)))
                        .post(lease.path(role, "multisig/exchange")).then().statusCode(200).extract().jsonPath();
                next.put(role, r.getString("multisig_info"));
                address = r.getString("address");
            }
        }
        return address;
    }

    /** The OTHER two infos in a canonical (sorted) order, as escrow-service sends them. */
    static List<String> others(Map<String, String> infos, String role) {
        return infos.entrySet().stream().filter(e -> !e.getKey().equals(role)).map(Map.Entry::getValue).sorted().toList();
    }
}
