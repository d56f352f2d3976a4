package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static org.hamcrest.Matchers.*;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.support.FakeGateway;
import dev.escrowstack.escrow.support.ScriptedGateway;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;

/**
 * Every client mistake is a 400 problem naming the field; unknown escrows. None reaches a wallet, so the
 * scripted gateway serves; idempotency, which needs READY escrows, is EscrowInitTest's.
 */
@QuarkusTest
@TestProfile(ScriptedGateway.class)
class EscrowApiContractTest {

    @org.junit.jupiter.api.BeforeEach
    void unscripted() {
        FakeGateway.reset(); // every setup completes, whatever another class scripted before
    }

    /** The launcher's local default: a call without a token from this machine is the marketplace "local", nothing more. */
    @Test
    void withoutATokenFromThisMachineTheCallerIsTheLocalMarketplace() {
        String id = init("b-local", "v-local", 1000).then().statusCode(201).body("changed_by", is("local")).extract().path("escrow_id");
        api().get("/api/escrow/" + id).then().statusCode(200);
        api().get("/api/escrow").then().statusCode(403).contentType("application/problem+json");
        api().body(Map.of("winner", "buyer")).post("/api/escrow/" + id + "/resolve").then().statusCode(403);
        // A token, once sent, is checked: a bad one is not waved through as the local default.
        api().header("Authorization", "Bearer not-a-jwt").get("/api/escrow/" + id).then().statusCode(401);
    }

    @Test
    void invalidRequestsAre400ProblemsNamingTheField() {
        invalid(body("", "v", 1), "buyer_id");
        invalid(body("b".repeat(65), "v", 1), "buyer_id");
        invalid(body("bad id", "v", 1), "buyer_id");
        invalid(body("../etc", "v", 1), "buyer_id");
        invalid(body("b", "v/1", 1), "vendor_id");
        invalid(body("same", "same", 1), "vendor_id");
        invalid(body("b", "v", 0), "amount");
        invalid(body("b", "v", -5), "amount");
        invalid(body("b", "v", 1_000_000_000_000_000_000L), "amount");
        Map<String, Object> floating = body("b", "v", 1);
        floating.put("amount", 1.5);
        invalid(floating, "amount");
        Map<String, Object> text = body("b", "v", 1);
        text.put("amount", "1000");
        invalid(text, "amount");
        Map<String, Object> huge = body("b", "v", 1);
        huge.put("amount", new java.math.BigInteger("123456789012345678901234567890"));
        invalid(huge, "amount");
        Map<String, Object> missing = body("b", "v", 1);
        missing.remove("vendor_id");
        invalid(missing, "vendor_id");
        api().body("{\"buyer_id\": \"b\", ").post("/api/escrow/init").then().statusCode(400)
                .contentType("application/problem+json");
        api().body("").post("/api/escrow/init").then().statusCode(400).contentType("application/problem+json");
        api().contentType(ContentType.TEXT).body("buyer_id=b").post("/api/escrow/init").then().statusCode(415)
                .contentType("application/problem+json");
        api().header("Idempotency-Key", "k".repeat(256)).body(body("b", "v", 1)).post("/api/escrow/init").then()
                .statusCode(400).body("field", is("Idempotency-Key"));
    }

    @Test
    void unknownEscrowsAndBadListQueriesAreClientErrors() {
        api().get("/api/escrow/esc-doesnotexist").then().statusCode(404).contentType("application/problem+json")
                .body("type", endsWith("escrow-not-found"));
        api().get("/api/escrow/..%2F..%2Fetc").then().statusCode(404);
        api().get("/api/escrow/esc-doesnotexist/funding").then().statusCode(404).contentType("application/problem+json");
        asOperator().get("/api/escrow?status=DONE").then().statusCode(400).body("field", is("status"));
        asOperator().get("/api/escrow?size=0").then().statusCode(400).body("field", is("size"));
        asOperator().get("/api/escrow?size=1000").then().statusCode(400).body("field", is("size"));
        asOperator().get("/api/escrow?page=-1").then().statusCode(400).body("field", is("page"));
        asOperator().get("/api/escrow?page=x").then().statusCode(400).body("field", is("page"));
        asOperator().get("/api/escrow?page=").then().statusCode(400).body("field", is("page"));
        asOperator().get("/api/escrow?size=").then().statusCode(400).body("field", is("size"));
        asOperator().get("/api/escrow?status=ready&page=0&size=5").then().statusCode(200).body("size", is(5));
        asOperator().get("/api/escrow").then().statusCode(200).body("page", is(0)).body("size", is(20));
    }

    private static void invalid(Map<String, Object> body, String field) {
        api().body(body).post("/api/escrow/init").then().statusCode(400).contentType("application/problem+json")
                .body("status", is(400)).body("detail", containsString(field));
    }

    private static Map<String, Object> body(String buyer, String vendor, long amount) {
        Map<String, Object> m = new HashMap<>();
        m.put("buyer_id", buyer);
        m.put("vendor_id", vendor);
        m.put("amount", amount);
        return m;
    }
}
