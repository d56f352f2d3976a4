package dev.escrowstack.exporter.files;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.exporter.events.EscrowEvent;
import dev.escrowstack.telemetry.EventTypes;

/** Everything seen of one escrow so far. Guarded by its own monitor. */
public final class EscrowTrace {

    final String escrowId;
    private final Map<String, EscrowEvent> events = new LinkedHashMap<>();
    private volatile long lastChange = System.currentTimeMillis();
    /** First and last event time, kept as events arrive, so finding the escrows of a time window reads no events. */
    private volatile long first = Long.MAX_VALUE;
    private volatile long last = Long.MIN_VALUE;

    EscrowTrace(String escrowId) {
        this.escrowId = escrowId;
    }

    synchronized void put(EscrowEvent event) {
        events.put(event.key(), event);
        first = Math.min(first, event.timestamp());
        last = Math.max(last, event.timestamp());
        lastChange = System.currentTimeMillis();
    }

    /** Whether any of its events lies in [start, end]'s span of time (false while it has none). */
    boolean overlaps(long start, long end) {
        return first <= end && last >= start;
    }

    /** Events by time; ties keep arrival order (a call's START before its END when both are in one ms). */
    synchronized List<EscrowEvent> sorted() {
        List<EscrowEvent> list = new ArrayList<>(events.values());
        list.sort(Comparator.comparingLong(EscrowEvent::timestamp));
        return list;
    }

    synchronized Summary summary() {
        long start = Long.MAX_VALUE;
        long end = Long.MIN_VALUE;
        String status = "IN_PROGRESS";
        long statusAt = Long.MIN_VALUE;
        boolean failed = false;
        for (EscrowEvent e : events.values()) {
            start = Math.min(start, e.timestamp());
            end = Math.max(end, e.timestamp());
            if (e.eventType().equals(EventTypes.STATE_CHANGE) && reached(e) && e.timestamp() >= statusAt) {
                status = String.valueOf(e.details().get("state"));
                statusAt = e.timestamp();
            }
            failed |= e.eventType().equals(EventTypes.ERROR_FINAL);
        }
        status = failed ? "FAILED" : status;
        return new Summary(escrowId, status, events.isEmpty() ? 0 : start, events.isEmpty() ? 0 : end - start, events.size());
    }

    /**
     * A state the escrow reached: from a span, the state its end records; read back from a file (where the
     * span keys are gone), any state past the setup's start and its rounds.
     */
    private static boolean reached(EscrowEvent e) {
        if (e.key().endsWith("/end")) {
            return true;
        }
        String state = String.valueOf(e.details().get("state"));
        return e.key().startsWith("file/") && !state.equals("INITIALIZING") && !state.startsWith("ROUND_");
    }

    long lastChange() {
        return lastChange;
    }

    /** One line of GET /api/traces. */
    public record Summary(String escrowId, String status, long start, long durationMs, int eventCount) {
    }
}
