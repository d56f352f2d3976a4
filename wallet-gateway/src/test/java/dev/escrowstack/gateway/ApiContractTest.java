package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;

import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.Gateway.Lease;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** Authentication and bad input: every client mistake is a 4xx problem+json, never a 500. */
@QuarkusTest
class ApiContractTest {

    Lease lease;

    @BeforeEach
    void grant() {
        awaitIdlePool(1);
        lease = Lease.of(lease("esc-contract", newWallets("buyer"), 30));
    }

    @AfterEach
    void release() {
        if (api().get("/v1/leases/" + lease.id()).then().extract().path("state").equals("ACTIVE")) {
            lease.release();
        }
    }

    @Test
    void v1NeedsTheBearerTokenButHealthMetricsAndOpenApiDoNot() {
        given().get("/v1/pool").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        given().header("Authorization", "Bearer wrong").get("/v1/leases").then().statusCode(401);
        given().header("Authorization", "Basic dGVzdC10b2tlbg==").get("/v1/leases").then().statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("holder", "x", "wallets", newWallets("buyer")))
                .post("/v1/leases").then().statusCode(401);
        given().get(lease.path("buyer", "state")).then().statusCode(401);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/health/started").then().statusCode(200);
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("gateway_processes"))
                .body(containsString("wallet_rpc_call_seconds"))
                .body(containsString("gateway_lease_wait_seconds"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/v1/leases/{leaseId}/wallets/{role}/multisig/make"));
    }

    @Test
    void badLeaseRequestsAre400ProblemsNamingTheField() {
        problem(api().body(Map.of("holder", "h", "wallets", Map.of("seller", Map.of()))), 400).body("detail", containsString("seller"));
        problem(api().body(Map.of("holder", "h", "wallets", Map.of())), 400).body("detail", containsString("wallets"));
        problem(api().body(Map.of("holder", "", "wallets", newWallets("buyer"))), 400).body("detail", containsString("holder"));
        problem(api().body(Map.of("holder", "../../etc", "wallets", newWallets("buyer"))), 400);
        problem(api().body(Map.of("holder", "h", "wallets", newWallets("buyer"), "ttl_seconds", 0)), 400);
        problem(api().body(Map.of("holder", "h", "wallets", newWallets("buyer"), "ttl_seconds", 999999)), 400)
                .body("field", is("ttl_seconds"));
        problem(api().body(Map.of("holder", "h", "wallets", newWallets("buyer"), "wait_seconds", -1)), 400);
        problem(api().body(Map.of("holder", "h", "wallets", newWallets("buyer"), "ttl_seconds", "soon")), 400)
                .body("detail", containsString("ttl_seconds"));
        problem(api().body(Map.of("holder", "h", "wallets", newWallets("buyer"), "ttl_seconds", 1e30)), 400);
        problem(api().body("{\"holder\": \"h\", \"wallets\": {\"buyer\": {}"), 400).body("detail", containsString("malformed JSON"));
        problem(api().body("[1,2,3]"), 400);
        problem(api().body(""), 400);
        problem(api().body(Map.of("holder", "h", "wallets", Map.of("buyer", Map.of("wallet_id", "../../spares/x")))), 400)
                .body("field", is("wallets.buyer.wallet_id"));
        problem(api().body(Map.of("holder", "h", "wallets", Map.of("buyer", Map.of("wallet_id", "w-doesnotexist")))), 404)
                .body("type", endsWith("wallet-not-found"));
        problem(api().contentType(ContentType.TEXT).body("holder=h"), 415);
    }

    @Test
    void callsWithAWrongLeaseTokenOrRoleAreRefused() {
        lease.call().get("/v1/leases/l-unknown/wallets/buyer/state").then().statusCode(404)
                .contentType("application/problem+json").body("type", endsWith("lease-not-found"));
        api().get(lease.path("buyer", "state")).then().statusCode(400).body("type", endsWith("fencing-token-required"));
        api().header("Fencing-Token", "abc").get(lease.path("buyer", "state")).then().statusCode(400);
        api().header("Fencing-Token", lease.token() + 1).get(lease.path("buyer", "state")).then().statusCode(409)
                .body("type", endsWith("stale-fencing-token"));
        lease.call().get(lease.path("vendor", "state")).then().statusCode(404).body("type", endsWith("role-not-in-lease"));
        lease.call().get(lease.path("seller", "state")).then().statusCode(400).body("detail", containsString("seller"));
        lease.call().body(Map.of("multisig_info", "not-a-list", "threshold", 2)).post(lease.path("buyer", "multisig/make"))
                .then().statusCode(400).contentType("application/problem+json");
        lease.call().body(Map.of("multisig_info", java.util.List.of(), "threshold", 2)).post(lease.path("buyer", "multisig/make"))
                .then().statusCode(400).body("detail", containsString("multisig_info"));
        lease.call().body(Map.of("destinations", java.util.List.of(Map.of("address", "x", "amount", -5))))
                .post(lease.path("buyer", "transfer")).then().statusCode(400).body("detail", containsString("amount"));
        lease.call().get("/v1/leases/" + lease.id() + "/wallets/buyer/nothing-here").then().statusCode(404)
                .contentType("application/problem+json");
        lease.call().delete(lease.path("buyer", "state")).then().statusCode(anyOf(is(404), is(405)))
                .contentType("application/problem+json");
    }

    @Test
    void passThroughForwardsAllowedMethodsUnchangedAndRefusesTheRest() {
        lease.call().body(Map.of("jsonrpc", "2.0", "id", "7", "method", "get_balance", "params", Map.of("account_index", 0)))
                .post(lease.path("buyer", "json_rpc")).then().statusCode(200)
                .body("id", is("7")).body("result.balance", is(0));
        // A wallet error is the wallet's reply, passed through as is.
        lease.call().body(Map.of("jsonrpc", "2.0", "id", "8", "method", "make_multisig",
                "params", Map.of("multisig_info", java.util.List.of("bogus"), "threshold", 2)))
                .post(lease.path("buyer", "json_rpc")).then().statusCode(200)
                .body("error.code", notNullValue()).body("error.message", not(emptyOrNullString()));
        for (String denied : new String[] { "open_wallet", "close_wallet", "create_wallet", "stop_wallet", "query_key",
                "set_daemon", "change_wallet_password", "restore_deterministic_wallet", "no_such_method" }) {
            lease.call().body(Map.of("jsonrpc", "2.0", "id", "1", "method", denied))
                    .post(lease.path("buyer", "json_rpc")).then().statusCode(403)
                    .contentType("application/problem+json").body("detail", containsString(denied));
        }
        lease.call().body("[{\"jsonrpc\":\"2.0\",\"method\":\"get_balance\"}]").post(lease.path("buyer", "json_rpc"))
                .then().statusCode(400);
        lease.call().body(Map.of("jsonrpc", "2.0", "id", "1")).post(lease.path("buyer", "json_rpc")).then().statusCode(400);
        // The wallet is still the leased one after all that.
        lease.call().get(lease.path("buyer", "state")).then().statusCode(200).body("wallet_id", is(lease.walletId("buyer")));
    }

    @Test
    void leasesCanBeFoundByHolder() {
        api().get("/v1/leases?holder=esc-contract").then().statusCode(200).body("lease_id", hasItem(lease.id()));
        api().get("/v1/leases?holder=nobody").then().statusCode(200).body("size()", is(0));
    }

    @Test
    void renewExtendsAndReleaseEndsALease() {
        Lease other = Lease.of(lease("esc-renew", newWallets("buyer"), 30));
        String before = other.body().getString("expires_at");
        other.call().body(Map.of("ttl_seconds", 600)).post("/v1/leases/" + other.id() + "/renew").then().statusCode(200)
                .body("expires_at", greaterThan(before));
        other.call().body(Map.of("ttl_seconds", 0)).post("/v1/leases/" + other.id() + "/renew").then().statusCode(400);
        other.release();
        other.call().delete("/v1/leases/" + other.id()).then().statusCode(410).body("type", endsWith("lease-ended"));
        other.call().get(other.path("buyer", "state")).then().statusCode(410);
        api().get("/v1/leases/" + other.id()).then().statusCode(200).body("state", is("RELEASED"));
        // The released wallet can be leased again by id, and is the same wallet (ParkingTest: where).
        Lease again = Lease.of(lease("esc-renew-2", Map.of("buyer", Map.of("wallet_id", other.walletId("buyer"))), 30));
        again.call().get(again.path("buyer", "state")).then().statusCode(200).body("wallet_id", is(other.walletId("buyer")));
        // ...and not twice at once.
        lease("esc-renew-3", Map.of("buyer", Map.of("wallet_id", other.walletId("buyer"))), 1).then().statusCode(503);
        again.release();
    }

    @Test
    void anExpiredLeaseIsReclaimed() {
        Lease shortLived = Lease.of(api().body(Map.of("holder", "esc-expire", "wallets", newWallets("buyer"), "ttl_seconds", 1))
                .post("/v1/leases"));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> api()
                .get("/v1/leases/" + shortLived.id()).then().extract().jsonPath().getString("state").equals("EXPIRED"));
        shortLived.call().get(shortLived.path("buyer", "state")).then().statusCode(410);
        Lease again = Lease.of(lease("esc-expire-2", Map.of("buyer", Map.of("wallet_id", shortLived.walletId("buyer"))), 10));
        again.release();
    }

    private static io.restassured.response.ValidatableResponse problem(io.restassured.specification.RequestSpecification request,
            int status) {
        return request.post("/v1/leases").then().statusCode(status).contentType("application/problem+json")
                .body("status", is(status)).body("title", not(emptyOrNullString()));
    }
}
