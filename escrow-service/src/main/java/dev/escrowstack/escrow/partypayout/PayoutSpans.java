package dev.escrowstack.escrow.partypayout;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.Tracer;

/**
 * The escrow.party.payout span of one step (trace-exporter: a PARTY_PAYOUT event in the escrow's file). Steps are
 * short and mostly answer a party's call, so each is its own span; the caller sets what the step adds and ends it.
 */
final class PayoutSpans {

    static final String SYNC_OPENED = "sync-opened";
    static final String SYNC_EXPORT = "sync-export";
    static final String SYNC_IMPORTED = "sync-imported";
    static final String STALE = "stale";
    static final String TXSET = "txset";
    static final String SIGNATURE_AWAITED = "signature-awaited";
    static final String SIGNER_OVERDUE = "signer-overdue";
    static final String SUBMITTED = "submitted";

    private PayoutSpans() {
    }

    static Span start(Tracer tracer, String escrowId, String step, String role, Integer epoch) {
        SpanBuilder b = tracer.spanBuilder(SpanNames.ESCROW_PARTY_PAYOUT).setAttribute(ESCROW_ID, escrowId)
                .setAttribute(PARTY_PAYOUT_STEP, step);
        if (role != null) {
            b.setAttribute(ESCROW_ROLE, role);
        }
        if (epoch != null) {
            b.setAttribute(PARTY_PAYOUT_EPOCH, (long) epoch);
        }
        return b.startSpan();
    }
}
