package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.client.Gateways;
import dev.escrowstack.escrow.support.TwoGatewaysResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import dev.escrowstack.testsupport.GatewayJar;

/**
 * Two real wallet-gateway pods behind one escrow-service: each escrow's three wallets are leased on one
 * pod, recorded, and found there again; a pod that is down is skipped for new escrows.
 */
@QuarkusTest
@QuarkusTestResource(value = TwoGatewaysResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiGatewayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    Gateways gateways;

    @Test
    @Order(1)
    void concurrentEscrowsSpreadOverThePodsAndEachOnesWalletsAreOnItsPod() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<CompletableFuture<JsonPath>> inits = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int n = i;
            inits.add(CompletableFuture.supplyAsync(
                    () -> init("buyer-mg" + n, "vendor-mg" + n, 1_000_000).then().statusCode(201).extract().jsonPath(), pool));
        }
        List<JsonPath> escrows = new ArrayList<>();
        for (CompletableFuture<JsonPath> f : inits) {
            escrows.add(f.get());
        }
        pool.shutdown();
        Map<String, Integer> perPod = new HashMap<>();
        for (JsonPath escrow : escrows) {
            assertEquals("READY", escrow.getString("status"));
            String pod = escrow.getString("gateway");
            assertTrue(gateways.urls().containsKey(pod), "recorded pod " + pod + " is one of " + gateways.urls().keySet());
            perPod.merge(pod, 1, Integer::sum);
            assertEquals(pod, api().get("/api/escrow/" + escrow.getString("escrow_id")).then().statusCode(200)
                    .extract().path("gateway"), "the pod is recorded");

            // All three wallets are on the recorded pod, multisig with the escrow's address; the other pod has none.
            GatewayJar home = podNamed(pod);
            JsonNode lease = lease(home, escrow.getMap("wallets"));
            long token = lease.get("fencing_token").asLong();
            for (String role : List.of("buyer", "vendor", "arbiter")) {
                JsonNode state = JSON.readTree(home.send("GET", "/v1/leases/" + lease.get("lease_id").asText() + "/wallets/" + role
                        + "/state", null, token).body());
                assertTrue(state.get("is_multisig").asBoolean(), role + " wallet is multisig on " + pod);
                assertEquals(escrow.getString("multisig_address"), state.get("address").asText());
            }
            assertEquals(204, home.send("DELETE", "/v1/leases/" + lease.get("lease_id").asText(), null, token).statusCode());
            GatewayJar other = TwoGatewaysResource.PODS.stream().filter(p -> p != home).findFirst().orElseThrow();
            assertEquals(404, other.send("POST", "/v1/leases", leaseRequest(escrow.getMap("wallets")), null).statusCode(),
                    "the other pod does not know the wallets");
        }
        assertEquals(2, perPod.size(), "4 escrows, one pool each holding one escrow at a time, use both pods: " + perPod);
    }

    @Test
    @Order(2)
    void aPodThatIsDownIsSkippedForNewEscrowsAndReportedInReadiness() throws Exception {
        GatewayJar second = TwoGatewaysResource.PODS.get(1);
        second.stopAll();
        String secondName = Gateways.nameOf(URI.create(second.url()));
        String firstName = Gateways.nameOf(URI.create(TwoGatewaysResource.PODS.get(0).url()));
        for (int i = 0; i < 3; i++) {
            JsonPath escrow = init("buyer-down" + i, "vendor-down" + i, 1_000_000).then().statusCode(201).extract().jsonPath();
            assertEquals("READY", escrow.getString("status"));
            assertEquals(firstName, escrow.getString("gateway"));
        }
        JsonPath ready = api().get("/q/health/ready").then().statusCode(200).extract().jsonPath();
        Map<String, Object> data = ready.getMap("checks.find { it.name == 'wallet-gateway' }.data");
        assertEquals("UP", data.get(firstName));
        assertTrue(String.valueOf(data.get(secondName)).startsWith("DOWN"), "the stopped pod is reported: " + data);
    }

    private static GatewayJar podNamed(String name) {
        return TwoGatewaysResource.PODS.stream().filter(p -> Gateways.nameOf(URI.create(p.url())).equals(name)).findFirst()
                .orElseThrow();
    }

    private static JsonNode lease(GatewayJar pod, Map<String, Object> walletIds) throws Exception {
        var response = pod.send("POST", "/v1/leases", leaseRequest(walletIds), null);
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Waits up to 120 s: after a setup the pod's processes refill its spare wallets (create_wallet, 2–5 s each) first. */
    private static String leaseRequest(Map<String, Object> walletIds) throws Exception {
        Map<String, Object> wallets = new HashMap<>();
        walletIds.forEach((role, id) -> wallets.put(role, Map.of("wallet_id", id)));
        return JSON.writeValueAsString(Map.of("holder", "multi-gateway-test", "wallets", wallets, "ttl_seconds", 60, "wait_seconds", 120));
    }
}
