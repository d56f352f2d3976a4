package dev.escrowstack.escrow.partypayout;

import static dev.escrowstack.escrow.support.Escrows.api;
import static org.hamcrest.Matchers.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.support.Escrows;
import dev.escrowstack.escrow.support.FakeGateway;
import dev.escrowstack.escrow.support.ScriptedGateway;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * A party's mistakes on the payout calls are answered as problems that say what to do, never a 500: who may
 * call, what a field must be, and which state a step needs. (FundsLifecycleIT makes the payouts themselves on a
 * regtest chain; here the funds path is off, as on the offline stack.)
 */
@QuarkusTest
@TestProfile(ScriptedGateway.class)
class PartyPayoutApiTest {

    static final String HEX_INFO = "4d6f6e65726f206d756c7469736967206578706f7274";

    String id;
    String buyer;
    String vendor;

    @BeforeEach
    void aNonCustodialEscrow() {
        FakeGateway.reset();
        JsonPath e = api().body(Map.of("buyer_id", "pb", "vendor_id", "pv", "amount", 1000, "custody", "parties")).post("/api/escrow/init")
                .then().statusCode(201).body("status", is("AWAITING_PARTIES")).extract().jsonPath();
        id = e.getString("escrow_id");
        buyer = e.getString("party_tokens.buyer");
        vendor = e.getString("party_tokens.vendor");
    }

    @Test
    void onlyThePartyWithItsTokenMaySync() {
        String path = "/api/escrow/" + id + "/parties/buyer/sync/1";
        api().body(Map.of("info", HEX_INFO)).put(path).then().statusCode(401).contentType("application/problem+json")
                .body("type", endsWith("party-token-required"));
        api().header("Party-Token", vendor).body(Map.of("info", HEX_INFO)).put(path).then().statusCode(403)
                .body("type", endsWith("forbidden"));
        api().header("Party-Token", buyer).body(Map.of("info", HEX_INFO)).put("/api/escrow/" + id + "/parties/arbiter/sync/1").then()
                .statusCode(400).body("field", is("role"));
        api().header("Party-Token", buyer).body(Map.of("info", HEX_INFO)).put("/api/escrow/esc-nonesuch/parties/buyer/sync/1").then()
                .statusCode(404);
    }

    @Test
    void aSyncBeforeTheEscrowIsFundedIsAStateConflictAndABadInfoA400() {
        String path = "/api/escrow/" + id + "/parties/buyer/sync/1";
        api().header("Party-Token", buyer).body(Map.of("info", "a kex message, not hex")).put(path).then().statusCode(400)
                .body("field", is("info"));
        api().header("Party-Token", buyer).body(Map.of("info", "")).put(path).then().statusCode(400).body("field", is("info"));
        api().header("Party-Token", buyer).body(Map.of()).put(path).then().statusCode(400);
        api().header("Party-Token", buyer).body(Map.of("info", HEX_INFO)).put(path).then().statusCode(409)
                .body("type", endsWith("escrow-state-conflict")).body("detail", containsString("AWAITING_PARTIES"));
        api().header("Party-Token", buyer).body(Map.of("n_outputs", 1, "from", List.of("vendor"))).put(path + "/imported").then()
                .statusCode(409).body("type", endsWith("epoch-not-current"));
    }

    @Test
    void aPayoutNamesItsKindAndItsBuilderBeforeAnythingElse() {
        String path = "/api/escrow/" + id + "/parties/%s/payout";
        api().header("Party-Token", vendor).body(Map.of("kind", "steal", "multisig_txset", "ab")).put(path.formatted("vendor")).then()
                .statusCode(400).body("field", is("kind"));
        api().header("Party-Token", vendor).body(Map.of("kind", "release", "multisig_txset", "not hex")).put(path.formatted("vendor"))
                .then().statusCode(400).body("field", is("multisig_txset"));
        api().header("Party-Token", buyer).body(Map.of("kind", "release", "multisig_txset", "ab")).put(path.formatted("buyer")).then()
                .statusCode(403).body("type", endsWith("not-the-builder")).body("detail", containsString("built by the vendor"));
        // The vendor's own set, on the offline stack: there are no funds to pay out.
        api().header("Party-Token", vendor).body(Map.of("kind", "release", "multisig_txset", "ab")).put(path.formatted("vendor")).then()
                .statusCode(409).body("type", endsWith("funds-disabled"));
        api().header("Party-Token", buyer).body(Map.of("tx_hashes", List.of("nope"))).put(path.formatted("buyer") + "/submitted").then()
                .statusCode(400).body("field", is("tx_hashes"));
        api().header("Party-Token", buyer).get("/api/escrow/" + id + "/parties/buyer/funds").then().statusCode(409)
                .body("type", endsWith("funds-disabled"));
    }

    @Test
    void aCustodialEscrowHasNoPartiesToSync() {
        String custodial = Escrows.init("b-c", "v-c", 1000).then().statusCode(201).extract().path("escrow_id");
        api().header("Party-Token", buyer).body(Map.of("info", HEX_INFO)).put("/api/escrow/" + custodial + "/parties/buyer/sync/1")
                .then().statusCode(409).body("type", endsWith("not-a-parties-escrow"));
        api().post("/api/escrow/" + id + "/release").then().statusCode(409).body("type", endsWith("funds-disabled"));
    }
}
