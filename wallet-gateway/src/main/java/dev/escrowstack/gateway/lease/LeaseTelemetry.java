package dev.escrowstack.gateway.lease;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.process.ProcessRestarted;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;

/**
 * What the lease core shows of itself: the {@code lease.acquire}, {@code lease.release} and
 * {@code lease.expire} spans, the {@code gateway_lease_wait} timer and the {@code wallet-process.restart}
 * span, which names the lease's escrow when a leased process restarted.
 */
@ApplicationScoped
public class LeaseTelemetry {

    private final Tracer tracer;
    private final Timer waitTimer;

    public LeaseTelemetry(Tracer tracer, MeterRegistry registry) {
        this.tracer = tracer;
        this.waitTimer = Timer.builder("gateway_lease_wait")
                .description("Time from a lease request to its grant")
                .publishPercentileHistogram()
                .register(registry);
    }

    Span acquireStarted(LeaseRequest request) {
        return tracer.spanBuilder(SpanNames.LEASE_ACQUIRE)
                .setAttribute(ESCROW_ID, request.holder())
                .setAttribute(AttributeKey.stringArrayKey(LEASE_ROLES),
                        request.wallets().keySet().stream().map(Role::name).sorted().toList())
                .startSpan();
    }

    /** Ends the acquire span with how long the request waited and what became of it. */
    void acquireEnded(Span span, long waitedMillis, Lease lease, Throwable error) {
        span.setAttribute(LEASE_WAIT_MS, waitedMillis);
        if (lease != null) {
            span.setAttribute(LEASE_ID, lease.id());
            span.setAttribute(LEASE_FENCING_TOKEN, lease.fencingToken());
            span.setAttribute(LEASE_OUTCOME, "granted");
        } else {
            span.setAttribute(LEASE_OUTCOME, error instanceof ProblemException p && p.status() == 503 ? "timeout" : "failed");
            span.setStatus(StatusCode.ERROR, String.valueOf(error.getMessage()));
        }
        span.end();
    }

    void granted(Lease lease) {
        waitTimer.record(Duration.ofMillis(lease.waitedMillis()));
    }

    /** The span of a lease's end: {@code lease.expire} for an expiry, else {@code lease.release}. */
    Span endStarted(Lease lease, LeaseState state) {
        return tracer.spanBuilder(state == LeaseState.EXPIRED ? SpanNames.LEASE_EXPIRE : SpanNames.LEASE_RELEASE)
                .setAttribute(ESCROW_ID, lease.holder())
                .setAttribute(LEASE_ID, lease.id())
                .setAttribute(LEASE_FENCING_TOKEN, lease.fencingToken())
                .startSpan();
    }

    /** A restarted process; with the lease it serves, the span joins that escrow's trace attributes. */
    void restarted(ProcessRestarted event, Optional<Lease> lease, Optional<LeasedWallet> leased) {
        WalletProcess process = event.process();
        Span span = tracer.spanBuilder(SpanNames.PROCESS_RESTART)
                .setAllAttributes(Attributes.builder()
                        .put(WALLET_PROCESS, (long) process.index())
                        .put(SERVER_PORT, (long) process.port())
                        .put("process.old_pid", event.oldPid())
                        .put("process.pid", process.pid())
                        .put("process.restart_cause", event.cause())
                        .build())
                .startSpan();
        if (lease.isPresent() && leased.isPresent()) {
            span.setAttribute(ESCROW_ID, lease.get().holder());
            span.setAttribute(LEASE_ID, lease.get().id());
            span.setAttribute(ESCROW_ROLE, leased.get().role().name());
            span.setAttribute(WALLET_ID, leased.get().walletId());
        }
        event.reopenError().ifPresent(e -> span.setStatus(StatusCode.ERROR, e));
        span.end();
    }
}
