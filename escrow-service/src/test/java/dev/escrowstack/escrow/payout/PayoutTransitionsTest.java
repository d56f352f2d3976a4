package dev.escrowstack.escrow.payout;

import static dev.escrowstack.escrow.support.Escrows.api;
import static dev.escrowstack.escrow.support.Escrows.asArbiter;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.funds.Addresses;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.escrow.service.EscrowStore;
import dev.escrowstack.escrow.service.NewEscrow;
import dev.escrowstack.escrow.support.ScriptedGateway;
import dev.escrowstack.escrow.support.TransitionRace;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/**
 * The payout's guards without a chain: one transition out of FUNDED however many ask at once, an address
 * never replaced, and the funds endpoints' client errors. Money moving is FundsLifecycleIT's, on regtest.
 */
@QuarkusTest
@TestProfile(ScriptedGateway.class)
class PayoutTransitionsTest {

    /** Published on getmonero.org; valid on mainnet, the network the tests' escrow-service checks against. */
    static final String DONATION = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

    @Inject
    EscrowStore escrows;
    @Inject
    EscrowRepository repository;
    @Inject
    PayoutStore payouts;

    @Test
    void ofConcurrentReleasesRefundsAndDisputesExactlyOneWins() throws Exception {
        for (int round = 0; round < 5; round++) {
            TransitionRace.exactlyOneWins(escrows, repository, payouts);
        }
    }

    @Test
    void aGivenBackPayoutCanBeAskedForAgainButAPaidOneCannot() {
        Escrow e = funded();
        assertTrue(payouts.start(e.id, PayoutKind.RELEASE, DONATION, "test"));
        Escrow back = payouts.givenBack(e.id, "sweep_all: not enough money");
        assertEquals(EscrowStatus.FUNDED, back.status);
        assertEquals("sweep_all: not enough money", back.payoutError);
        assertTrue(payouts.start(e.id, PayoutKind.REFUND, DONATION, "test"), "FUNDED again: a new payout may start");
        Escrow done = payouts.paid(e.id, List.of("ab".repeat(32)), 90, 10);
        assertEquals(EscrowStatus.REFUNDED, done.status);
        assertFalse(payouts.start(e.id, PayoutKind.RELEASE, DONATION, "test"));
        assertEquals(EscrowStatus.REFUNDED, payouts.givenBack(e.id, "late").status, "a paid escrow is never given back");
    }

    @Test
    void payoutAddressesAreValidatedAndNeverReplaced() {
        api().body(Map.of("buyer_id", "b", "vendor_id", "v", "amount", 5, "vendor_payout_address", DONATION.substring(1)))
                .post("/api/escrow/init").then().statusCode(400).body("field", is("vendor_payout_address"))
                .body("detail", containsString("95 or 106"));
        String typo = DONATION.substring(0, 40) + (DONATION.charAt(40) == 'a' ? 'b' : 'a') + DONATION.substring(41);
        api().body(Map.of("buyer_id", "b", "vendor_id", "v", "amount", 5, "buyer_payout_address", typo))
                .post("/api/escrow/init").then().statusCode(400).body("field", is("buyer_payout_address"))
                .body("detail", containsString("checksum"));

        Escrow e = funded();
        String path = "/api/escrow/" + e.id + "/payout-addresses";
        api().body(Map.of("vendor_payout_address", DONATION)).put(path).then().statusCode(200)
                .body("vendor_payout_address", is(DONATION)).body("buyer_payout_address", nullValue());
        api().body(Map.of("vendor_payout_address", DONATION)).put(path).then().statusCode(200); // the same again: fine
        api().body(Map.of("vendor_payout_address", Addresses.mainnet(7))).put(path).then().statusCode(409)
                .body("type", endsWith("payout-address-set")).body("field", is("vendor_payout_address"));
        api().body(Map.of("buyer_payout_address", Addresses.mainnet(7))).put(path).then().statusCode(200)
                .body("vendor_payout_address", is(DONATION)).body("buyer_payout_address", is(Addresses.mainnet(7)));
        api().body(Map.of("buyer_payout_address", "x")).put("/api/escrow/esc-nope/payout-addresses").then().statusCode(404);
    }

    @Test
    void withTheFundsPathOffEveryFundsEndpointSaysSo() {
        Escrow e = funded();
        for (String action : new String[] { "release", "refund" }) {
            api().post("/api/escrow/" + e.id + "/" + action).then().statusCode(409).contentType("application/problem+json")
                    .body("type", endsWith("funds-disabled")).body("status", is(409));
        }
        asArbiter().body(Map.of("winner", "vendor")).post("/api/escrow/" + e.id + "/resolve").then().statusCode(409)
                .body("type", endsWith("funds-disabled"));
        api().get("/api/escrow/" + e.id + "/funding").then().statusCode(409).body("type", endsWith("funds-disabled"));
        asArbiter().body(Map.of("winner", "arbiter")).post("/api/escrow/" + e.id + "/resolve").then().statusCode(400)
                .body("field", is("winner"));
        api().body(Map.of("raised_by", "arbiter")).post("/api/escrow/" + e.id + "/dispute").then().statusCode(400)
                .body("field", is("raised_by"));
        api().body(Map.of("raised_by", "buyer", "reason", "r".repeat(501))).post("/api/escrow/" + e.id + "/dispute").then()
                .statusCode(400).body("field", is("reason"));
        api().post("/api/escrow/esc-nope/release").then().statusCode(404).body("type", endsWith("escrow-not-found"));
    }

    private Escrow funded() {
        Escrow e = escrows.create(new NewEscrow("b", "v", 100L, null, null), null, "h", "test");
        QuarkusTransaction.requiringNew().run(() -> repository.update("status = ?1 where id = ?2", EscrowStatus.FUNDED, e.id));
        return e;
    }
}
