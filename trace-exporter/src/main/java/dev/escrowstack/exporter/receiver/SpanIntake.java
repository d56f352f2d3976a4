package dev.escrowstack.exporter.receiver;

import static dev.escrowstack.telemetry.EscrowAttributes.ESCROW_ID;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.exporter.config.ExporterConfig;
import dev.escrowstack.exporter.events.SpanEvents;
import dev.escrowstack.exporter.files.EscrowFiles;
import dev.escrowstack.exporter.files.EscrowTraces;
import dev.escrowstack.exporter.forward.Forwarder;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.quarkus.logging.Log;

/**
 * receiver → (forwarder, router): a decoded request is handed to the forwarder's own queue and to the
 * routing queue, and the HTTP answer goes out at once. One router thread turns spans into escrow
 * events; the file writer and the forwarder run on their own threads, so neither a slow disk nor a
 * slow collector holds up ingest.
 */
@ApplicationScoped
public class SpanIntake {

    /** What the receiver reports back: spans taken, and spans refused (partial success). */
    public record Accepted(int spans, int rejected) {
    }

    private record Queued(ExportTraceServiceRequest request, int permits) {
    }

    private final BlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    /** Room left in the queue, in spans: the queue itself is unbounded, the spans in it are not. */
    private final Semaphore room;
    private final int capacity;
    private final EscrowTraces traces;
    private final Forwarder forwarder;
    private final Counter received;
    private final Counter routed;
    private final Counter unrouted;
    private final Counter rejectedSpans;
    private final Counter unowned;
    private final String escrowOwner;
    private final Thread router;

    public SpanIntake(ExporterConfig config, EscrowTraces traces, Forwarder forwarder, MeterRegistry registry) {
        this.capacity = config.ingestQueueSpans();
        this.room = new Semaphore(capacity);
        this.traces = traces;
        this.forwarder = forwarder;
        this.received = Counter.builder("exporter_spans_received").register(registry);
        this.routed = Counter.builder("exporter_spans_routed").description("spans that belong to an escrow").register(registry);
        this.unrouted = Counter.builder("exporter_spans_unrouted")
                .description("spans without a usable escrow.id: forwarded, but in no escrow file").register(registry);
        this.rejectedSpans = Counter.builder("exporter_spans_rejected").register(registry);
        this.unowned = Counter.builder("exporter_spans_unowned")
                .description("spans stating an escrow's status from a producer other than its owner: forwarded, no event").register(registry);
        this.escrowOwner = config.escrowOwner();
        registry.gauge("exporter_ingest_queue_spans", room, r -> capacity - r.availablePermits());
        this.router = new Thread(this::route, "span-router");
        router.setDaemon(true);
        router.start();
    }

    /** Null when the routing queue is full (the receiver answers 503). */
    public Accepted offer(ExportTraceServiceRequest request, byte[] protobuf) {
        int spans = 0;
        int rejected = 0;
        for (ResourceSpans rs : request.getResourceSpansList()) {
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span s : ss.getSpansList()) {
                    spans++;
                    if (s.getTraceId().size() != 16 || s.getSpanId().size() != 8) {
                        rejected++;
                    }
                }
            }
        }
        int permits = Math.min(spans, capacity); // a request larger than the whole queue still fits an empty one
        if (!room.tryAcquire(permits)) {
            return null;
        }
        queue.add(new Queued(request, permits));
        received.increment(spans);
        rejectedSpans.increment(rejected);
        forwarder.enqueue(protobuf != null ? protobuf : request.toByteArray(), spans);
        return new Accepted(spans, rejected);
    }

    private void route() {
        while (!Thread.currentThread().isInterrupted()) {
            Queued next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                route(next.request());
            } catch (RuntimeException e) {
                Log.error("routing spans failed", e);
            } finally {
                room.release(next.permits());
            }
        }
    }

    void route(ExportTraceServiceRequest request) {
        for (ResourceSpans rs : request.getResourceSpansList()) {
            boolean owner = escrowOwner.equals(serviceName(rs));
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                for (Span span : ss.getSpansList()) {
                    if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
                        continue;
                    }
                    String escrowId = escrowId(span);
                    if (escrowId == null) {
                        unrouted.increment();
                        continue;
                    }
                    if (!owner && SpanEvents.statesEscrowStatus(span.getName())) {
                        // Only escrow-service says what state an escrow is in: a stray producer cannot flip it.
                        unowned.increment();
                        continue;
                    }
                    try {
                        var events = SpanEvents.of(span, escrowId);
                        routed.increment();
                        if (!events.isEmpty()) {
                            traces.add(escrowId, events);
                        }
                    } catch (RuntimeException e) {
                        // One span we cannot read must not cost the batch's others their escrow's events.
                        unrouted.increment();
                        Log.errorf(e, "escrow %s: span %s could not be turned into events", escrowId, span.getName());
                    }
                }
            }
        }
    }

    private static String serviceName(ResourceSpans rs) {
        for (var kv : rs.getResource().getAttributesList()) {
            if (kv.getKey().equals("service.name")) {
                return kv.getValue().getStringValue();
            }
        }
        return null;
    }

    private static String escrowId(Span span) {
        for (var kv : span.getAttributesList()) {
            if (kv.getKey().equals(ESCROW_ID)) {
                AnyValue v = kv.getValue();
                String id = v.hasStringValue() ? v.getStringValue() : null;
                return EscrowFiles.validId(id) ? id : null;
            }
        }
        return null;
    }

    /** Waits until everything queued so far has been routed (tests, shutdown). */
    public void drain() throws InterruptedException {
        while (room.availablePermits() < capacity) {
            Thread.sleep(10);
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        drain();
        router.interrupt();
    }
}
