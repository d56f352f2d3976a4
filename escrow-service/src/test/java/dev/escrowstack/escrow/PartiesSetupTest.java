package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;

import dev.escrowstack.escrow.persistence.PartyMessageRepository;
import dev.escrowstack.escrow.support.GatewayTestResource;
import dev.escrowstack.escrow.support.PartyWallets;
import dev.escrowstack.escrow.support.PartyWallets.Wallet;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.testsupport.TempDirs;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * Non-custodial escrows (docs/parties.md) on real processes: the arbiter's wallet in a real gateway, and
 * buyer and vendor each on a monero-wallet-rpc of their own that this test starts outside the gateway and
 * drives through the mailbox as a party's client would. The service never holds their wallets.
 */
@QuarkusTest
@QuarkusTestResource(value = GatewayTestResource.class, restrictToAnnotatedClass = true)
@TestProfile(PartiesSetupTest.ShortRounds.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PartiesSetupTest {

    /**
     * Rounds of 25 s, checked every second: a stalled party fails its escrow within the test, whose wait for it is
     * idle time (the other escrows' rounds each end within a few seconds of opening).
     */
    public static class ShortRounds implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("escrow.parties.round-timeout", "25s", "escrow.parties.deadline-check", "1s");
        }
    }

    /** Each party's round-2 info once its wallet made it (the wrong-info case sends the buyer's as another's). */
    private final Map<String, CompletableFuture<String>> roundTwoOf = Map.of("buyer", new CompletableFuture<>(), "vendor",
            new CompletableFuture<>());
    private Path dir;
    private PartyWallets parties;

    @TestHTTPResource("/")
    URL base;

    @Inject
    InMemorySpanExporter spans;

    @Inject
    PartyMessageRepository messages;

    @BeforeAll
    void dir() throws IOException {
        dir = Files.createTempDirectory("parties-test");
        parties = new PartyWallets(dir);
    }

    @AfterAll
    void stop() throws Exception {
        try {
            parties.close();
        } finally {
            TempDirs.deleteQuietly(dir);
        }
    }

    @Test
    void buyerAndVendorWithWalletsOfTheirOwnAgreeOnOneAddressAndTheServiceHoldsOnlyTheArbiters() throws Exception {
        // The parties' wallets first (wallet-rpc takes seconds per wallet): a round's deadline runs from its opening.
        Map<String, Wallet> wallets = parties.startAll(List.of("buyer", "vendor", "stall-buyer"));
        // A second escrow whose vendor never comes: it fails at round 1's deadline, naming the vendor.
        JsonPath stalled = initParties("b-stall", "v-stall");
        // A third whose vendor sends, as its round 2, an info another wallet made: FAILED at once, the vendor named.
        JsonPath wrong = initParties("b-wrong", "v-wrong");
        JsonPath escrow = initParties("b-own", "v-own");
        String id = escrow.getString("escrow_id");
        assertEquals("AWAITING_PARTIES", escrow.getString("status"));
        assertEquals("parties", escrow.getString("custody"));
        assertNotNull(escrow.getString("wallets.arbiter"));
        assertNull(escrow.get("wallets.buyer"), "the service has no buyer wallet");
        String buyerToken = escrow.getString("party_tokens.buyer");
        String vendorToken = escrow.getString("party_tokens.vendor");
        assertTrue(buyerToken.startsWith("pt_") && !buyerToken.equals(vendorToken));
        // Shown once: the escrow read back has no tokens.
        api().get("/api/escrow/" + id).then().statusCode(200).body("$", not(hasKey("party_tokens"))).body("status", is("AWAITING_PARTIES"));

        Wallet buyer = wallets.get("buyer");
        Wallet vendor = wallets.get("vendor");
        String buyerInfo1 = parties.roundOneInfo(buyer);
        String vendorInfo1 = parties.roundOneInfo(vendor);

        // Who may send what.
        put(id, "buyer", 1, buyerInfo1, null).then().statusCode(401).body("type", endsWith("party-token-required"));
        put(id, "buyer", 1, buyerInfo1, vendorToken).then().statusCode(403);
        put(stalled.getString("escrow_id"), "buyer", 1, buyerInfo1, buyerToken).then().statusCode(403);
        put(id, "arbiter", 1, buyerInfo1, buyerToken).then().statusCode(400);
        put(id, "buyer", 1, "not an info", buyerToken).then().statusCode(400).body("field", is("info"));
        // The same info marked as a later round's (the marker after the kex magic: 1 for round 1, n after it).
        String laterRound = buyerInfo1.replaceFirst("R1", "Rn");
        put(id, "buyer", 1, laterRound, buyerToken).then().statusCode(409).body("type", endsWith("info-for-another-round"));
        put(id, "buyer", 2, laterRound, buyerToken).then().statusCode(409).body("type", endsWith("round-not-open"));

        put(id, "buyer", 1, buyerInfo1, buyerToken).then().statusCode(201);
        put(id, "buyer", 1, buyerInfo1, buyerToken).then().statusCode(200); // the same again: idempotent
        // A different info for a round already sent: refused, the first one counts.
        put(id, "buyer", 1, vendorInfo1, buyerToken).then().statusCode(409).body("type", endsWith("info-differs"))
                .body("submitted_sha256", is(Hashes.sha256Hex(buyerInfo1)));
        // Not complete yet: a short wait says whom the round waits for.
        api().header("Party-Token", buyerToken).get("/api/escrow/" + id + "/parties/buyer/rounds/1?wait=1").then().statusCode(200)
                .body("complete", is(false)).body("waiting_for", contains("vendor"));
        put(id, "vendor", 1, vendorInfo1, vendorToken).then().statusCode(201);

        // The stalled escrow's buyer came; its vendor does not.
        String stallInfo = parties.roundOneInfo(wallets.get("stall-buyer"));
        put(stalled.getString("escrow_id"), "buyer", 1, stallInfo, stalled.getString("party_tokens.buyer")).then().statusCode(201);

        // The third escrow's round 1: its buyer on the stalled escrow's buyer wallet, its vendor with the vendor's wallet.
        String wrongId = wrong.getString("escrow_id");
        String wrongVendorToken = wrong.getString("party_tokens.vendor");
        put(wrongId, "buyer", 1, stallInfo, wrong.getString("party_tokens.buyer")).then().statusCode(201);
        put(wrongId, "vendor", 1, vendorInfo1, wrongVendorToken).then().statusCode(201);

        // Rounds 2 and 3, each party on the other two infos of the round before; then the address.
        CompletableFuture<String> buyerRun = CompletableFuture.supplyAsync(() -> rounds(id, "buyer", buyerToken, buyer));
        CompletableFuture<String> vendorRun = CompletableFuture.supplyAsync(() -> rounds(id, "vendor", vendorToken, vendor));

        // The third escrow's vendor sends the buyer's round-2 info (another wallet's, signed by it) as its own.
        String foreign = roundTwoOf.get("buyer").get(120, TimeUnit.SECONDS);
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300))
                .until(() -> asOperator().get("/api/escrow/" + wrongId + "/exchange").jsonPath().getInt("current_round") == 2);
        put(wrongId, "vendor", 2, foreign, wrongVendorToken).then().statusCode(409).body("type", endsWith("info-from-another-wallet"))
                .body("role", is("vendor")).body("detail", containsString("made by another wallet than its round-1 info"));
        JsonPath failedWrong = api().get("/api/escrow/" + wrongId).then().statusCode(200).body("status", is("FAILED")).extract().jsonPath();
        assertEquals("wrong-info", failedWrong.getString("failure.operation"));
        assertEquals("vendor", failedWrong.getString("failure.role"));
        assertEquals(2, failedWrong.getInt("failure.round"));
        // The analyzer's answer, from the mailbox's records: the vendor, with both signing keys' hashes as evidence.
        assertEquals("STALE", failedWrong.getString("failure.root_cause.pattern"), failedWrong.prettify());
        assertEquals("vendor", failedWrong.getString("failure.root_cause.role"));
        List<String> evidence = failedWrong.getList("failure.root_cause.evidence");
        assertTrue(evidence.stream().anyMatch(e -> e.contains("round-1 info") && e.contains("signed by wallet key sha256")), evidence.toString());
        put(wrongId, "vendor", 2, foreign, wrongVendorToken).then().statusCode(409).body("type", endsWith("setup-ended"));

        String buyerAddress = buyerRun.get();
        String vendorAddress = vendorRun.get();
        assertEquals(buyerAddress, vendorAddress, "the parties' wallets agree");

        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300))
                .until(() -> !api().get("/api/escrow/" + id).jsonPath().getString("status").equals("AWAITING_PARTIES"));
        api().get("/api/escrow/" + id).then().statusCode(200).body("status", is("READY")).body("multisig_address", is(buyerAddress))
                .body("failure", nullValue());
        for (Wallet w : List.of(buyer, vendor)) {
            JsonNode multisig = parties.rpc(w, "is_multisig", Map.of());
            assertTrue(multisig.path("multisig").asBoolean() && multisig.path("ready").asBoolean(), multisig.toString());
            assertEquals(2, multisig.path("threshold").asInt());
            assertEquals(3, multisig.path("total").asInt());
        }

        // The status view: hashes, sizes and times of all twelve messages; the infos themselves are gone.
        JsonPath exchange = asOperator().get("/api/escrow/" + id + "/exchange").then().statusCode(200).extract().jsonPath();
        assertEquals(12, exchange.getList("messages").size());
        assertEquals(1, exchange.getInt("messages.find { it.role == 'buyer' && it.round == 1 }.rejected"), "the refused resubmission");
        assertFalse(exchange.prettify().contains(buyerInfo1), "no info in the status view");
        api().header("Party-Token", vendorToken).get("/api/escrow/" + id + "/exchange").then().statusCode(200).body("status", is("READY"));
        api().header("Party-Token", stalled.getString("party_tokens.vendor")).get("/api/escrow/" + id + "/exchange").then()
                .statusCode(403);
        api().header("Party-Token", buyerToken).get("/api/escrow/" + id + "/parties/buyer/rounds/1?wait=0").then().statusCode(200)
                .body("complete", is(false)).body("infos", empty());
        put(id, "buyer", 1, buyerInfo1, buyerToken).then().statusCode(409).body("type", endsWith("setup-ended"));
        // Secrets: the rows keep hashes only, and no span carries an info or a token (the file is made of spans).
        assertTrue(QuarkusTransaction.requiringNew().call(() -> messages.ofEscrow(id)).stream().allMatch(m -> m.info == null || m.round == 4),
                "the infos are erased at the end of the setup");
        String traced = spans.getFinishedSpanItems().toString();
        for (String secret : List.of(buyerInfo1, vendorInfo1, buyerToken, vendorToken)) {
            assertFalse(traced.contains(secret), "a party's info or token in a span");
        }
        assertTrue(traced.contains("escrow.party.message"), "the messages are traced, by hash");
        // Payouts of a non-custodial escrow are the parties' to sign.
        api().post("/api/escrow/" + id + "/release").then().statusCode(409);

        // The stalled one: FAILED at round 1's deadline, naming the vendor.
        String stalledId = stalled.getString("escrow_id");
        Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1))
                .until(() -> api().get("/api/escrow/" + stalledId).jsonPath().getString("status").equals("FAILED"));
        api().get("/api/escrow/" + stalledId).then().body("failure.round", is(1)).body("failure.role", is("vendor"))
                .body("failure.operation", is("stalled")).body("failure.error", containsString("the vendor did not send round 1"))
                .body("failure.root_cause.pattern", is("STALLED")).body("failure.root_cause.role", is("vendor"))
                .body("failure.root_cause.fix", containsString("run its client again"));
        // The spans say the same (trace-exporter makes ERROR_FINAL's root_cause of these).
        assertTrue(spans.getFinishedSpanItems().stream().anyMatch(sp -> stalledId.equals(sp.getAttributes().get(AttributeKey.stringKey(ESCROW_ID)))
                && "STALLED".equals(sp.getAttributes().get(AttributeKey.stringKey(ESCROW_ROOT_CAUSE_PATTERN)))), "the stalled escrow's outcome span names the pattern");
        assertTrue(spans.getFinishedSpanItems().stream().anyMatch(sp -> wrongId.equals(sp.getAttributes().get(AttributeKey.stringKey(ESCROW_ID)))
                && sp.getAttributes().get(AttributeKey.stringKey(PARTY_MESSAGE_SIGNER_SHA256)) != null && sp.getStatus().getStatusCode() == StatusCode.ERROR),
                "the refused message is traced with its signing key's hash");
    }

    /**
     * The README's way: each party runs tools/escrow-party (the party client, a separate program) against its own
     * wallet-rpc; both print the agreed address and exit 0, and the escrow is READY on it.
     */
    @Test
    void thePartyClientRunsTheWholeSetupForEachParty() throws Exception {
        Map<String, Wallet> wallets = parties.startAll(List.of("cli-buyer", "cli-vendor"));
        Wallet buyerWallet = wallets.get("cli-buyer");
        Wallet vendorWallet = wallets.get("cli-vendor");
        JsonPath escrow = initParties("b-cli", "v-cli");
        String id = escrow.getString("escrow_id");
        String service = "http://127.0.0.1:" + base.getPort();
        Process buyer = parties.partyClient(service, id, "buyer", escrow.getString("party_tokens.buyer"), buyerWallet);
        Process vendor = parties.partyClient(service, id, "vendor", escrow.getString("party_tokens.vendor"), vendorWallet);
        String buyerSays = parties.finish(buyer, buyerWallet);
        String vendorSays = parties.finish(vendor, vendorWallet);
        assertEquals(buyerSays, vendorSays, "both clients print the agreed address");
        api().get("/api/escrow/" + id).then().statusCode(200).body("status", is("READY")).body("multisig_address", is(buyerSays));
        for (Wallet w : List.of(buyerWallet, vendorWallet)) {
            assertEquals(buyerSays, parties.rpc(w, "get_address", Map.of("account_index", 0)).path("address").asText());
        }
    }

    /** A party's rounds 2, 3 and its address, as its client would run them; returns the address. */
    private String rounds(String id, String role, String token, Wallet wallet) {
        try {
            List<String> others = fetch(id, role, token, 1);
            String info2 = parties.rpc(wallet, "make_multisig", Map.of("multisig_info", others, "threshold", 2, "password", ""))
                    .path("multisig_info").asText();
            roundTwoOf.get(role).complete(info2);
            put(id, role, 2, info2, token).then().statusCode(201);
            String info3 = parties.rpc(wallet, "exchange_multisig_keys", Map.of("multisig_info", fetch(id, role, token, 2), "password", ""))
                    .path("multisig_info").asText();
            put(id, role, 3, info3, token).then().statusCode(201);
            String address = parties.rpc(wallet, "exchange_multisig_keys", Map.of("multisig_info", fetch(id, role, token, 3), "password", ""))
                    .path("address").asText();
            api().header("Party-Token", token).body(Map.of("address", address)).put("/api/escrow/" + id + "/parties/" + role + "/address")
                    .then().statusCode(201);
            return address;
        } catch (Exception e) {
            throw new IllegalStateException(role + ": " + e, e);
        }
    }

    /** The other two infos of a round, long-polling until all three are in. */
    private List<String> fetch(String id, String role, String token, int round) {
        for (int i = 0; i < 10; i++) {
            // The buyer names itself in the path; the vendor lets its token say who it is: both forms answer the same.
            String path = role.equals("buyer") ? "/parties/buyer/rounds/" : "/rounds/";
            JsonPath r = api().header("Party-Token", token).get("/api/escrow/" + id + path + round + "?wait=20")
                    .then().statusCode(200).extract().jsonPath();
            if (r.getBoolean("complete")) {
                List<String> infos = r.getList("infos");
                assertEquals(2, infos.size());
                return infos;
            }
        }
        throw new AssertionError(role + ": round " + round + " never completed");
    }

    private static io.restassured.response.Response put(String id, String role, int round, String info, String token) {
        var spec = api().body(Map.of("info", info));
        if (token != null) {
            spec = spec.header("Party-Token", token);
        }
        return spec.put("/api/escrow/" + id + "/parties/" + role + "/rounds/" + round);
    }

    private static JsonPath initParties(String buyer, String vendor) {
        return api().body(Map.of("buyer_id", buyer, "vendor_id", vendor, "amount", 1_000_000, "custody", "parties"))
                .post("/api/escrow/init").then().statusCode(201).extract().jsonPath();
    }
}
