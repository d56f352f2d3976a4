package dev.escrowstack.analyzer.model;

import java.util.List;

import dev.escrowstack.telemetry.EventTypes;

/** The events of one escrow, in file order, and where they came from. */
public record EscrowFile(String source, String escrowId, List<Event> events) {

    public long start() {
        return events.stream().mapToLong(Event::timestamp).min().orElse(0);
    }

    public long end() {
        return events.stream().mapToLong(Event::timestamp).max().orElse(0);
    }

    public long durationMs() {
        return end() - start();
    }

    /**
     * READY, FAILED, IN_PROGRESS…: the last state change wins, an ERROR_FINAL always means FAILED, and a
     * file without state changes (written by another tool) is FAILED if it holds an error, else UNKNOWN.
     */
    public String status() {
        String status = null;
        boolean error = false;
        for (Event e : events) {
            if (e.is(EventTypes.STATE_CHANGE) && e.text("state") != null) {
                status = e.text("state");
            } else if (e.is(EventTypes.ERROR_FINAL)) {
                error = true;
            }
        }
        if (error) {
            return "FAILED";
        }
        if (status == null) {
            return events.stream().anyMatch(e -> e.is(EventTypes.RPC_CALL_ERROR)) ? "FAILED" : "UNKNOWN";
        }
        return status.startsWith("ROUND_") || status.equals("INITIALIZING") ? "IN_PROGRESS" : status;
    }
}
