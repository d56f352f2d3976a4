package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static dev.escrowstack.telemetry.EscrowAttributes.LEASE_ID;
import static org.junit.jupiter.api.Assertions.*;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.Gateway.Lease;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.quarkus.test.junit.QuarkusTest;

/**
 * With no lease active, the spare keeper makes spares side by side (monero-wallet-rpc makes a wallet on one core):
 * on the test pool of 4 with 3 spares, a lease of three new wallets adopts all three; once it is released, the two
 * spares still missing are made at once, in two of the processes the lease left its wallets parked in.
 */
@QuarkusTest
class SpareKeeperTest {

    @Inject
    InMemorySpanExporter spans;

    @Test
    void idleTheKeeperMakesTheMissingSparesSideBySide() {
        awaitIdlePool(3);
        Lease lease = Lease.of(lease("esc-spares", newWallets("buyer", "vendor", "arbiter"), 60));
        long since = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
        lease.release();
        awaitIdlePool(3);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).until(() -> spareCreates(since).size() >= 2);

        // While the lease was active at most one (min-spares-while-busy, one at a time); after it, two at once.
        List<SpanData> creates = spareCreates(since);
        long endOfEarlier = 0;
        boolean sideBySide = false;
        for (SpanData create : creates) {
            sideBySide |= create.getStartEpochNanos() < endOfEarlier;
            endOfEarlier = Math.max(endOfEarlier, create.getEndEpochNanos());
        }
        assertTrue(sideBySide, "two spares' create_wallet ran at the same time: " + creates.stream()
                .map(s -> s.getStartEpochNanos() / 1_000_000 + ".." + s.getEndEpochNanos() / 1_000_000).toList());
    }

    /** The spare keeper's create_wallet calls (no lease) that started after {@code since}, in start order. */
    private List<SpanData> spareCreates(long since) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals(SpanNames.walletRpc("create_wallet")) && s.getStartEpochNanos() >= since
                        && s.getAttributes().get(AttributeKey.stringKey(LEASE_ID)) == null)
                .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos)).toList();
    }
}
