package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.Gateway.Lease;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/** kill -9 of a real wallet-rpc process under a lease. */
@QuarkusTest
class ProcessRecoveryTest {

    @BeforeEach
    void idle() {
        awaitIdlePool(3);
    }

    @Test
    void aKilledProcessUnderALeaseComesBackWithTheSameWalletOpen() {
        Lease lease = Lease.of(lease("esc-kill-idle", newWallets("buyer"), 30));
        String address = lease.call().get(lease.path("buyer", "state")).then().statusCode(200).extract().path("address");
        int index = lease.process("buyer");
        long pid = pidOf(index);
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
        long killedAt = System.nanoTime();

        // Until it is back the holder is told what happened (a call that raced the kill learns the process
        // died under it; one that finds it restarting gets Retry-After); never another wallet.
        Response during = lease.call().get(lease.path("buyer", "state"));
        if (during.statusCode() != 200) {
            during.then().statusCode(anyOf(is(502), is(503))).contentType("application/problem+json")
                    .header("Retry-After", not(emptyOrNullString()))
                    .body("type", anyOf(endsWith("wallet-process-restarting"), endsWith("wallet-process-crashed")));
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> lease.call().get(lease.path("buyer", "state")).statusCode() == 200);
        System.out.printf("recovered %d ms after kill -9 of an idle leased process%n", (System.nanoTime() - killedAt) / 1_000_000);
        JsonPath state = lease.call().get(lease.path("buyer", "state")).then().statusCode(200).extract().jsonPath();
        assertEquals(lease.walletId("buyer"), state.getString("wallet_id"));
        assertEquals(address, state.getString("address"), "the reopened wallet is the same, intact wallet");
        assertNotEquals(pid, pidOf(index));
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the killed process is gone");
        List<Map<String, Object>> incidents = api().get("/v1/leases/" + lease.id()).then().extract().jsonPath().getList("incidents");
        assertEquals(1, incidents.size());
        assertTrue(incidents.get(0).get("detail").toString().contains("signal 9"));
        lease.release();
    }

    @Test
    void aProcessKilledDuringMakeMultisigFailsTheCallClearlyAndItsWalletOpensAgain() throws Exception {
        Lease lease = Lease.of(lease("esc-kill", newWallets("buyer", "vendor", "arbiter"), 30));
        Map<String, String> infos = new HashMap<>();
        for (String role : MultisigSetupTest.ROLES) {
            infos.put(role, lease.call().post(lease.path(role, "multisig/prepare")).then().statusCode(200).extract()
                    .path("multisig_info"));
        }
        int index = lease.process("buyer");
        long pid = pidOf(index);

        // make_multisig runs ~0.75 s: kill the process while the call is in flight.
        CompletableFuture<Response> inFlight = CompletableFuture.supplyAsync(() -> lease.call()
                .body(Map.of("multisig_info", MultisigSetupTest.others(infos, "buyer"), "threshold", 2))
                .post(lease.path("buyer", "multisig/make")));
        Thread.sleep(150);
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());

        inFlight.get(30, TimeUnit.SECONDS).then().statusCode(502).contentType("application/problem+json")
                .body("type", endsWith("wallet-process-crashed"))
                .body("role", is("buyer"))
                .body("rpc_method", is("make_multisig"))
                .body("detail", containsString("restarts it"));

        // The wallet may hold new multisig keys beside a cache of the old address; the gateway
        // rebuilds the cache from the keys file rather than leave the wallet unopenable.
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> lease.call().get(lease.path("buyer", "state")).statusCode() == 200);
        JsonPath state = lease.call().get(lease.path("buyer", "state")).then().statusCode(200).extract().jsonPath();
        assertEquals(lease.walletId("buyer"), state.getString("wallet_id"));
        assertTrue(state.getBoolean("file_exists"));
        List<Map<String, Object>> incidents = api().get("/v1/leases/" + lease.id()).then().extract().jsonPath().getList("incidents");
        assertEquals(1, incidents.size());
        assertEquals("buyer", incidents.get(0).get("role"));
        assertTrue(incidents.get(0).get("detail").toString().contains("wallet reopened"), incidents.toString());

        JsonPath pool = api().get("/v1/pool").then().extract().jsonPath();
        assertEquals(pool.getInt("size"), pool.getInt("healthy"));
        assertTrue(pool.getInt("processes[" + index + "].restarts") >= 1);
        lease.release();
    }

    @Test
    void aKilledIdleProcessComesBackAndServesTheNextLease() {
        long pid = pidOf(0);
        assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly());
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> pidOf(0) != pid
                && "HEALTHY".equals(api().get("/v1/pool").then().extract().path("processes[0].health")));
        awaitIdlePool(3);
        Lease lease = Lease.of(lease("esc-after-kill", newWallets("buyer", "vendor", "arbiter"), 30));
        for (String role : MultisigSetupTest.ROLES) {
            lease.call().get(lease.path(role, "state")).then().statusCode(200).body("is_multisig", is(false));
        }
        lease.release();
    }
}
