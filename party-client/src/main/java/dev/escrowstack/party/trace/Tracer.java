package dev.escrowstack.party.trace;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The party's spans: one CLIENT span per wallet call and per mailbox call, all in one trace per run, each carrying the
 * escrow's context (escrow.id, escrow.role, escrow.round). Off unless an OTLP endpoint is given; then they are exported
 * at every {@link #flush()} (after each step) so an interrupted run still shows what it did.
 * Only identifiers, hashes and timings go in: never an info, a password or a token.
 */
public final class Tracer {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final OtlpExporter exporter;
    private final String traceId = randomHex(16);
    private final Map<String, Object> context = new LinkedHashMap<>();
    private final List<Span> finished = new ArrayList<>();

    private Tracer(OtlpExporter exporter) {
        this.exporter = exporter;
    }

    public static Tracer off() {
        return new Tracer(null);
    }

    public static Tracer exportingTo(OtlpExporter exporter) {
        return new Tracer(exporter);
    }

    /** Sets (or, with null, removes) an attribute every span started from now on carries. */
    public synchronized Tracer context(String key, Object value) {
        if (value == null) {
            context.remove(key);
        } else {
            context.put(key, value);
        }
        return this;
    }

    public synchronized Span start(String name) {
        Span span = new Span(name, traceId, randomHex(8), System.currentTimeMillis() * 1_000_000L);
        context.forEach(span::attribute);
        return span;
    }

    /** Sends what ended since the last flush; a collector that is down costs a warning, never the setup. */
    public void flush() {
        List<Span> batch;
        synchronized (this) {
            if (exporter == null || finished.isEmpty()) {
                finished.clear();
                return;
            }
            batch = List.copyOf(finished);
            finished.clear();
        }
        exporter.export(batch);
    }

    private synchronized void finish(Span span) {
        if (exporter != null) {
            finished.add(span);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** One call. Attributes are strings or longs (OTLP's stringValue / intValue). */
    public final class Span {
        final String name;
        final String traceId;
        final String spanId;
        final long startNanos;
        long endNanos;
        final Map<String, Object> attributes = new LinkedHashMap<>();
        String errorType;
        String errorMessage;

        private Span(String name, String traceId, String spanId, long startNanos) {
            this.name = name;
            this.traceId = traceId;
            this.spanId = spanId;
            this.startNanos = startNanos;
        }

        public Span attribute(String key, Object value) {
            if (value != null) {
                attributes.put(key, value);
            }
            return this;
        }

        public Span error(String type, String message) {
            this.errorType = type;
            this.errorMessage = message;
            return this;
        }

        /** W3C trace context for the request this span stands for, so the service's spans join this trace. */
        public String traceparent() {
            return "00-" + traceId + "-" + spanId + "-01";
        }

        public void end() {
            endNanos = Math.max(startNanos, System.currentTimeMillis() * 1_000_000L);
            finish(this);
        }
    }
}
