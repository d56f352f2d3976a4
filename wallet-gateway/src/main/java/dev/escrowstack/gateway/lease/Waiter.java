package dev.escrowstack.gateway.lease;

import java.util.concurrent.CompletableFuture;

import io.opentelemetry.context.Context;

/** A lease request in the FIFO queue; {@code result} completes with its lease or the problem that ended its wait. */
final class Waiter {

    final LeaseRequest request;
    final CompletableFuture<Lease> result = new CompletableFuture<>();
    final long enqueuedNanos = System.nanoTime();
    /** The acquire span as a context, so the grant's wallet calls (on other threads) are its children. */
    final Context context;

    Waiter(LeaseRequest request, Context context) {
        this.request = request;
        this.context = context;
    }

    long waitedMillis() {
        return (System.nanoTime() - enqueuedNanos) / 1_000_000;
    }
}
