package dev.escrowstack.gateway.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** Test-side client of the gateway's REST API, as escrow-service would use it. */
public final class Gateway {

    public static final String TOKEN = "test-token";

    private Gateway() {
    }

    public static RequestSpecification api() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    /** Test isolation: ends every lease a failed test may have left behind. */
    public static void releaseAll() {
        List<Map<String, Object>> leases = api().get("/v1/leases").then().statusCode(200).extract().jsonPath().getList("$");
        for (Map<String, Object> lease : leases) {
            api().header("Fencing-Token", lease.get("fencing_token")).delete("/v1/leases/" + lease.get("lease_id"));
        }
    }

    /** Waits until every process is healthy and the spare keeper has filled its quota. */
    public static void awaitIdlePool(int spares) {
        releaseAll();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            JsonPath pool = api().get("/v1/pool").then().extract().jsonPath();
            return pool.getInt("healthy") == pool.getInt("size") && pool.getInt("busy") == 0
                    && pool.getInt("waiting") == 0 && pool.getInt("spares") >= spares;
        });
    }

    public static Response lease(String holder, Map<String, Object> wallets, int waitSeconds) {
        return api().body(Map.of("holder", holder, "wallets", wallets, "ttl_seconds", 120, "wait_seconds", waitSeconds))
                .post("/v1/leases");
    }

    /** A granted lease: id, token and per-role wallet ids. */
    public record Lease(String id, long token, JsonPath body) {

        public static Lease of(Response response) {
            response.then().statusCode(201);
            JsonPath body = response.jsonPath();
            return new Lease(body.getString("lease_id"), body.getLong("fencing_token"), body);
        }

        public String walletId(String role) {
            return body.getString("wallets." + role + ".wallet_id");
        }

        public int process(String role) {
            return body.getInt("wallets." + role + ".process");
        }

        public RequestSpecification call() {
            return api().header("Fencing-Token", token);
        }

        public String path(String role, String operation) {
            return "/v1/leases/" + id + "/wallets/" + role + "/" + operation;
        }

        public void release() {
            call().delete("/v1/leases/" + id).then().statusCode(204);
        }
    }

    public static Map<String, Object> newWallets(String... roles) {
        return java.util.Arrays.stream(roles).collect(java.util.stream.Collectors.toMap(r -> r, r -> Map.of()));
    }

    public static long pidOf(int processIndex) {
        List<Map<String, Object>> processes = api().get("/v1/pool").then().statusCode(200).extract().jsonPath()
                .getList("processes");
        return ((Number) processes.get(processIndex).get("pid")).longValue();
    }
}
