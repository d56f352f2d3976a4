package dev.escrowstack.escrow;

import static dev.escrowstack.escrow.support.Escrows.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;

import dev.escrowstack.escrow.payout.PayoutStore;
import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.service.EscrowStore;
import dev.escrowstack.escrow.support.GatewayTestResource;
import dev.escrowstack.escrow.support.TransitionRace;
import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;

/**
 * The persistence path on a real PostgreSQL (what Kubernetes runs). ./stack test starts one and sets
 * ESCROW_TEST_POSTGRES_URL; a bare mvn run without it skips this class.
 */
@QuarkusTest
@TestProfile(PostgresPersistenceTest.OnPostgres.class)
@EnabledIfEnvironmentVariable(named = "ESCROW_TEST_POSTGRES_URL", matches = "jdbc:postgresql:.+")
class PostgresPersistenceTest {

    public static class OnPostgres implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.db-kind", "postgresql",
                    "quarkus.datasource.jdbc.url", System.getenv().getOrDefault("ESCROW_TEST_POSTGRES_URL", "jdbc:postgresql://none/none"),
                    "quarkus.datasource.username", System.getenv().getOrDefault("ESCROW_TEST_POSTGRES_USER", "escrow_test"),
                    "quarkus.datasource.password", System.getenv().getOrDefault("ESCROW_TEST_POSTGRES_PASSWORD", "escrow_test"));
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(GatewayTestResource.class));
        }
    }

    @Inject
    AgroalDataSource dataSource;
    @Inject
    EscrowStore escrows;
    @Inject
    EscrowRepository repository;
    @Inject
    PayoutStore payouts;

    @Test
    void ofConcurrentPayoutsAndDisputesPostgresLetsExactlyOneThrough() throws Exception {
        for (int round = 0; round < 5; round++) {
            TransitionRace.exactlyOneWins(escrows, repository, payouts);
        }
    }

    @Test
    void escrowsAreStoredInPostgresAndReplayedByIdempotencyKey() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertEquals("PostgreSQL", c.getMetaData().getDatabaseProductName());
        }
        String id = api().header("Idempotency-Key", "pg-" + System.nanoTime())
                .body(Map.of("buyer_id", "pg-buyer", "vendor_id", "pg-vendor", "amount", 123)).post("/api/escrow/init")
                .then().statusCode(201).body("status", is("READY")).extract().path("escrow_id");
        try (Connection c = dataSource.getConnection();
                PreparedStatement q = c.prepareStatement("select status, multisig_address, arbiter_wallet_id, lease_id from escrow where id = ?")) {
            q.setString(1, id);
            try (ResultSet r = q.executeQuery()) {
                assertTrue(r.next());
                assertEquals("READY", r.getString(1));
                assertTrue(r.getString(2).startsWith("5"));
                assertTrue(r.getString(3).startsWith("w-"));
                assertNull(r.getString(4), "the lease is forgotten once released");
            }
        }
        asOperator().get("/api/escrow?status=READY").then().statusCode(200).body("items.escrow_id", hasItem(id));
    }

    @Test
    void twoRequestsWithOneKeyAtTheSameInstantMakeOneEscrow() throws Exception {
        String key = "pg-race-" + System.nanoTime();
        Map<String, Object> body = Map.of("buyer_id", "race-b", "vendor_id", "race-v", "amount", 9);
        List<CompletableFuture<Response>> both = List.of(
                CompletableFuture.supplyAsync(() -> api().header("Idempotency-Key", key).body(body).post("/api/escrow/init")),
                CompletableFuture.supplyAsync(() -> api().header("Idempotency-Key", key).body(body).post("/api/escrow/init")));
        List<Response> answers = both.stream().map(CompletableFuture::join).toList();
        Set<Integer> statuses = answers.stream().map(Response::statusCode).collect(Collectors.toSet());
        assertEquals(Set.of(200, 201), statuses, "one creates, the other replays");
        assertEquals(1, answers.stream().map(r -> r.jsonPath().getString("escrow_id")).distinct().count());
        answers.forEach(r -> assertEquals("READY", r.jsonPath().getString("status")));
    }

    /**
     * Pattern A names where a polluted wallet came from: the escrow whose setup left it multisig, not one of the
     * escrows handed the same wallet at the same time (they all fail with it), nor one created after.
     */
    @Test
    void aWalletHandedOutAgainCameFromTheEarlierEscrowThatDidNotFail() {
        String wallet = "w-polluted-" + System.nanoTime();
        Instant t0 = Instant.now().minusSeconds(60);
        String source = holder(wallet, EscrowStatus.READY, t0);
        String first = holder(wallet, EscrowStatus.FAILED, t0.plusSeconds(1));
        String second = holder(wallet, EscrowStatus.FAILED, t0.plusSeconds(2));
        holder(wallet, EscrowStatus.READY, t0.plusSeconds(3));
        for (String failed : List.of(first, second)) {
            assertEquals(source, QuarkusTransaction.requiringNew().call(() -> repository.previousHolder(failed, wallet)).orElseThrow().id);
        }
        assertTrue(QuarkusTransaction.requiringNew().call(() -> repository.previousHolder(source, wallet)).isEmpty(), "none before the first");
    }

    private String holder(String buyerWallet, EscrowStatus status, Instant createdAt) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Escrow e = new Escrow();
            e.id = "esc-" + Long.toHexString(System.nanoTime());
            e.buyerId = "b";
            e.vendorId = "v";
            e.amount = 1;
            e.status = status;
            e.custody = Custody.SERVICE;
            e.buyerWalletId = buyerWallet;
            e.createdAt = createdAt;
            e.updatedAt = createdAt;
            repository.persistAndFlush(e);
            return e.id;
        });
    }
}
