package dev.escrowstack.escrow.parties;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;

/**
 * {@code escrow.party.message}: one participant's message to the mailbox — a party's through the API, the
 * arbiter's from its own wallet — by hash and size, never the info (trace-exporter: a PARTY_MESSAGE event).
 */
final class MessageSpans {

    private MessageSpans() {
    }

    /** Started; the caller records the outcome ({@link #stored}) or an error, and ends it. */
    static Span start(Tracer tracer, String escrowId, String role, int round, String info) {
        Span span = tracer.spanBuilder(SpanNames.ESCROW_PARTY_MESSAGE).setAttribute(ESCROW_ID, escrowId).setAttribute(ESCROW_ROLE, role)
                .setAttribute(ESCROW_ROUND, (long) round).setAttribute(PARTY_MESSAGE_SIZE, info.length()).startSpan();
        KexMessage.parse(info).ifPresent(k -> span.setAttribute(PARTY_MESSAGE_SIGNER_SHA256, k.signerSha256()));
        return span;
    }

    static void stored(Span span, PartyStore.Submitted s) {
        span.setAttribute(PARTY_MESSAGE_SHA256, s.message().sha256).setAttribute(PARTY_MESSAGE_OUTCOME, s.outcome().name());
    }
}
