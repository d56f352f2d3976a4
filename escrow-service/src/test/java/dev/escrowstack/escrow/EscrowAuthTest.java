package dev.escrowstack.escrow;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.support.FakeGateway;
import dev.escrowstack.escrow.support.ScriptedGateway;
import dev.escrowstack.escrow.support.TestTokens;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Who may call what, with the loopback default off (as on a pod): every endpoint against no token, a token signed
 * by another key, an expired one, one of another issuer (all 401), a verified caller without the endpoint's role
 * (403) and one with it (the endpoint's own answer). The caller's subject is on the escrow and its server span.
 */
@QuarkusTest
@TestProfile(EscrowAuthTest.TokensOnly.class)
@QuarkusTestResource(TestTokens.class)
class EscrowAuthTest {

    /** The scripted gateway, and no loopback default: every call needs a token. */
    public static class TokensOnly extends ScriptedGateway {
        @Override
        public Map<String, String> getConfigOverrides() {
            Map<String, String> config = new HashMap<>(super.getConfigOverrides());
            config.put("escrow.auth.loopback-role", "");
            return config;
        }
    }

    /** Published on getmonero.org; valid on mainnet, the network the tests' escrow-service checks against. */
    static final String DONATION = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

    record Call(String method, String path, String body, String role, String wrongRole, int answer) {
    }

    @Inject
    InMemorySpanExporter spans;

    @org.junit.jupiter.api.BeforeEach
    void unscripted() {
        FakeGateway.reset(); // every setup completes, whatever another class scripted before
    }

    @Test
    void everyEndpointAsksForAVerifiedTokenWithItsRole() {
        String id = as("market@test", "marketplace").body(Map.of("buyer_id", "b", "vendor_id", "v", "amount", 1000))
                .post("/api/escrow/init").then().statusCode(201).body("status", is("READY")).body("changed_by", is("market@test"))
                .extract().path("escrow_id");
        String escrow = "/api/escrow/" + id;
        List<Call> calls = List.of(
                new Call("POST", "/api/escrow/init", "{\"buyer_id\":\"b\",\"vendor_id\":\"v\",\"amount\":1000}", "marketplace", "arbiter", 201),
                new Call("GET", escrow, null, "marketplace", "nobody", 200),
                new Call("GET", escrow, null, "arbiter", "nobody", 200),
                new Call("GET", escrow, null, "operator", "nobody", 200),
                new Call("GET", escrow + "/funding", null, "marketplace", "nobody", 409),
                new Call("GET", "/api/escrow?status=READY", null, "operator", "marketplace", 200),
                new Call("PUT", escrow + "/payout-addresses", "{\"buyer_payout_address\":\"" + DONATION + "\"}", "marketplace", "operator", 200),
                new Call("POST", escrow + "/release", null, "marketplace", "arbiter", 409),
                new Call("POST", escrow + "/refund", null, "marketplace", "operator", 409),
                new Call("POST", escrow + "/dispute", "{\"raised_by\":\"buyer\",\"reason\":\"late\"}", "marketplace", "arbiter", 409),
                new Call("POST", escrow + "/resolve", "{\"winner\":\"buyer\"}", "arbiter", "marketplace", 409));
        Map<String, Function<Call, String>> unverified = Map.of(
                "another key", c -> TestTokens.signedByAnotherKey("x@test", c.role()),
                "expired", c -> TestTokens.expired("x@test", c.role()),
                "another issuer", c -> TestTokens.fromAnotherIssuer("x@test", c.role()),
                "not a JWT", c -> "not-a-jwt");
        List<String> wrong = new ArrayList<>();
        for (Call c : calls) {
            expect(wrong, c, "no token", send(c, null), 401);
            unverified.forEach((what, token) -> expect(wrong, c, what, send(c, token.apply(c)), 401));
            expect(wrong, c, "role " + c.wrongRole(), send(c, TestTokens.token("x@test", c.wrongRole())), 403);
            expect(wrong, c, "role " + c.role(), send(c, TestTokens.token("x@test", c.role())), c.answer());
        }
        assertEquals(List.of(), wrong);

        // The subject is on the escrow's last caller-made change and on the request's span.
        as("addresses@test", "marketplace").body(Map.of("vendor_payout_address", DONATION)).put(escrow + "/payout-addresses")
                .then().statusCode(200).body("changed_by", is("addresses@test"));
        Awaitility.await().until(() -> spans.getFinishedSpanItems().stream()
                .anyMatch(s -> "addresses@test".equals(s.getAttributes().get(AttributeKey.stringKey("enduser.id")))));
    }

    @Test
    void aProblemSaysWhatIsMissingAndNeverEchoesTheToken() {
        String token = TestTokens.expired("x@test", "operator");
        given().header("Authorization", "Bearer " + token).get("/api/escrow").then().statusCode(401)
                .contentType("application/problem+json").header("WWW-Authenticate", "Bearer")
                .body("type", endsWith("unauthorized")).body(not(containsString(token)));
        given().header("Authorization", "Bearer " + TestTokens.token("x@test", "marketplace")).get("/api/escrow").then()
                .statusCode(403).contentType("application/problem+json").body("type", endsWith("forbidden"));
        // Health, metrics and the API description stay open: probes and scrapers carry no token.
        given().get("/q/health/live").then().statusCode(200);
        given().get("/q/openapi").then().statusCode(200).body(containsString("SecurityScheme"));
    }

    private static io.restassured.specification.RequestSpecification as(String subject, String role) {
        return given().contentType(ContentType.JSON).header("Authorization", "Bearer " + TestTokens.token(subject, role));
    }

    private static Response send(Call c, String token) {
        var request = given().contentType(ContentType.JSON);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (c.body() != null) {
            request.body(c.body());
        }
        return request.request(c.method(), c.path());
    }

    private static void expect(List<String> wrong, Call c, String what, Response r, int status) {
        boolean problem = status < 400 || r.contentType().startsWith("application/problem+json");
        if (r.statusCode() != status || !problem) {
            wrong.add(c.method() + " " + c.path() + " with " + what + ": " + r.statusCode() + " " + r.contentType() + " (expected "
                    + status + ")");
        }
    }
}
