package dev.escrowstack.escrow.support;

import static io.restassured.RestAssured.given;

import java.util.Map;

import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/** The skill's curl, in Java. */
public final class Escrows {

    private Escrows() {
    }

    public static RequestSpecification api() {
        RestAssured.enableLoggingOfRequestAndResponseIfValidationFails();
        return given().contentType(ContentType.JSON);
    }

    /** As the operator: the list of all escrows is theirs. */
    public static RequestSpecification asOperator() {
        return api().header("Authorization", "Bearer " + TestTokens.token("ops@test", "operator"));
    }

    /** As the arbiter: only they resolve a dispute. */
    public static RequestSpecification asArbiter() {
        return api().header("Authorization", "Bearer " + TestTokens.token("arbiter@test", "arbiter"));
    }

    public static Response init(String buyer, String vendor, long amount) {
        return api().body(Map.of("buyer_id", buyer, "vendor_id", vendor, "amount", amount)).post("/api/escrow/init");
    }
}
