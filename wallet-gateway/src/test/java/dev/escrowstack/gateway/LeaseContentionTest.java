package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.FencingLog;
import dev.escrowstack.gateway.support.Gateway.Lease;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/** More lease requests than the pool (4 processes in tests) can hold at once. */
@QuarkusTest
class LeaseContentionTest {

    static final Path FENCING_LOG = Path.of("target/gateway-test-data/fencing.log");

    @BeforeEach
    void idle() {
        awaitIdlePool(3);
    }

    @Test
    void waitersAreServedInArrivalOrderAndLargeRequestsAreNotOvertaken() throws Exception {
        List<Lease> holders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            holders.add(Lease.of(lease("holder-" + i, newWallets("buyer"), 30)));
        }
        ExecutorService clients = Executors.newCachedThreadPool();
        try {
            // Queued in this order: a 2-wallet request, then three 1-wallet requests.
            List<CompletableFuture<Response>> waiters = new ArrayList<>();
            waiters.add(enqueue(clients, "waiter-0", newWallets("buyer", "vendor"), 1));
            for (int i = 1; i <= 3; i++) {
                waiters.add(enqueue(clients, "waiter-" + i, newWallets("buyer"), i + 1));
            }

            // One process frees up: the head needs two, and nobody behind it may take the one.
            holders.get(0).release();
            Thread.sleep(1500);
            assertEquals(4, waiting(), "a 1-wallet request overtook the 2-wallet request at the head");
            waiters.forEach(w -> assertFalse(w.isDone()));

            holders.get(1).release();
            Lease first = Lease.of(waiters.get(0).get(60, TimeUnit.SECONDS));
            assertEquals(3, waiting());

            holders.get(2).release();
            Lease second = Lease.of(waiters.get(1).get(60, TimeUnit.SECONDS));
            holders.get(3).release();
            Lease third = Lease.of(waiters.get(2).get(60, TimeUnit.SECONDS));
            assertTrue(first.token() < second.token() && second.token() < third.token(), "grants follow arrival order");
            assertFalse(waiters.get(3).isDone());

            first.release();
            Lease fourth = Lease.of(waiters.get(3).get(60, TimeUnit.SECONDS));
            assertTrue(third.token() < fourth.token());
            second.release();
            third.release();
            fourth.release();
        } finally {
            clients.shutdownNow();
        }
        assertTrue(FencingLog.assertNoDoubleHolding(FENCING_LOG) >= 10);
    }

    @Test
    void aWaitThatRunsOutGets503WithRetryAfter() {
        List<Lease> holders = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            holders.add(Lease.of(lease("full-" + i, newWallets("buyer"), 30)));
        }
        try {
            long started = System.nanoTime();
            lease("too-late", newWallets("buyer"), 1).then()
                    .statusCode(503)
                    .contentType("application/problem+json")
                    .header("Retry-After", not(emptyOrNullString()))
                    .body("type", endsWith("pool-busy"));
            assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() >= 900, "it waited for its wait time");
            lease("no-wait", newWallets("buyer"), 0).then().statusCode(503);
        } finally {
            holders.forEach(Lease::release);
        }
    }

    @Test
    void aBurstOfRequestsAllGetServedWithoutDeadlockOrDoubleHolding() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Long>> runs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String holder = "burst-" + i;
                // Mixed sizes, so all-or-nothing matters: a half-granted set would deadlock the pool.
                Map<String, Object> wallets = i % 2 == 0 ? newWallets("buyer", "vendor") : newWallets("buyer");
                runs.add(CompletableFuture.supplyAsync(() -> {
                    Lease lease = Lease.of(lease(holder, wallets, 120));
                    lease.call().get(lease.path("buyer", "state")).then().statusCode(200);
                    lease.release();
                    return lease.token();
                }, clients));
            }
            CompletableFuture.allOf(runs.toArray(CompletableFuture[]::new)).get(180, TimeUnit.SECONDS);
            assertEquals(8, runs.stream().map(CompletableFuture::join).distinct().count(), "every lease has its own token");
        } finally {
            clients.shutdownNow();
        }
        assertTrue(FencingLog.assertNoDoubleHolding(FENCING_LOG) >= 12);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == 0);
    }

    private static CompletableFuture<Response> enqueue(ExecutorService clients, String holder, Map<String, Object> wallets,
            int expectedWaiting) {
        CompletableFuture<Response> f = CompletableFuture.supplyAsync(() -> lease(holder, wallets, 120), clients);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> waiting() == expectedWaiting);
        return f;
    }

    private static int waiting() {
        return api().get("/v1/pool").then().statusCode(200).extract().jsonPath().getInt("waiting");
    }
}
