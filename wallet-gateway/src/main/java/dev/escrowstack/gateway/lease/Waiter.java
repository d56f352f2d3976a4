package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;

/** A lease request in the FIFO queue. */
final class Waiter {

    final LeaseRequest request;
    final CompletableFuture<Lease> result = new CompletableFuture<>();
    final long enqueuedNanos = System.nanoTime();
    final Span span;
    /** The acquire span as a context, so the grant's wallet calls (on other threads) are its children. */
    final Context context;
    ScheduledFuture<?> timeout;

    Waiter(LeaseRequest request, Span span) {
        this.request = request;
        this.span = span;
        this.context = Context.current().with(span);
    }

    long waitedMillis() {
        return (System.nanoTime() - enqueuedNanos) / 1_000_000;
    }

    /** What a granted waiter gets: for each role a process, and either a wallet id or "new". */
    record Slot(Role role, dev.escrowstack.gateway.process.WalletProcess process, java.util.Optional<String> walletId) {
    }

    record Grant(Waiter waiter, String leaseId, long token, Map<Role, Slot> slots) {
    }
}
