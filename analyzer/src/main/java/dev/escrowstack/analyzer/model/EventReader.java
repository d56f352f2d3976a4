package dev.escrowstack.analyzer.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads escrow files in the skill's format, including ones this stack did not write: a JSON array of
 * events (or an object with an {@code events} array); timestamps in ms, in seconds (a float, as
 * Python's time.time() gives) or ISO-8601; {@code details} optional. Events are put in time order.
 */
public final class EventReader {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Below this a timestamp is in seconds: 10^11 ms is 1973, 10^11 s is the year 5138. */
    private static final double SECONDS_LIMIT = 1e11;

    private EventReader() {
    }

    public static EscrowFile read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(file.toString(), escrowIdFromName(file.getFileName().toString()), in);
        }
    }

    public static EscrowFile read(String source, String escrowId, InputStream in) throws IOException {
        JsonNode root = JSON.readTree(in);
        JsonNode array = root != null && root.isObject() ? root.path("events") : root;
        if (array == null || !array.isArray()) {
            throw new IOException(source + " is not an escrow event file: expected a JSON array of events");
        }
        List<Event> events = new ArrayList<>(array.size());
        for (JsonNode n : array) {
            if (!n.isObject() || !n.hasNonNull("event_type")) {
                throw new IOException(source + ": event #" + events.size() + " has no event_type");
            }
            Map<String, Object> details = n.path("details").isObject()
                    ? JSON.convertValue(n.get("details"), LinkedHashMap.class) : new LinkedHashMap<>();
            JsonNode port = n.path("rpc_port");
            events.add(new Event(events.size(), text(n, "trace_id"), timestamp(source, n.path("timestamp")),
                    n.get("event_type").asText(), text(n, "role"), port.canConvertToInt() ? port.asInt() : null, details));
        }
        // Stable: events of the same millisecond keep file order (a call's START before its END).
        List<Event> sorted = new ArrayList<>(events);
        sorted.sort(Comparator.comparingLong(Event::timestamp));
        List<Event> indexed = new ArrayList<>(sorted.size());
        for (int i = 0; i < sorted.size(); i++) {
            Event e = sorted.get(i);
            indexed.add(new Event(i, e.traceId(), e.timestamp(), e.type(), e.role(), e.rpcPort(), e.details()));
        }
        return new EscrowFile(source, escrowId != null ? escrowId : idFromEvents(indexed), List.copyOf(indexed));
    }

    private static long timestamp(String source, JsonNode t) throws IOException {
        if (t.isNumber()) {
            double v = t.asDouble();
            return v < SECONDS_LIMIT ? Math.round(v * 1000) : t.asLong();
        }
        if (t.isTextual()) {
            try {
                return Instant.parse(t.asText()).toEpochMilli();
            } catch (DateTimeParseException e) {
                throw new IOException(source + ": timestamp '" + t.asText() + "' is neither a number nor ISO-8601");
            }
        }
        throw new IOException(source + ": an event has no timestamp");
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** escrow_abc123.json → abc123. */
    static String escrowIdFromName(String name) {
        String base = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return base.startsWith("escrow_") ? base.substring(7) : null;
    }

    private static String idFromEvents(List<Event> events) {
        for (Event e : events) {
            Object id = e.details().get("escrow_id");
            if (id == null) {
                id = e.map("context").get("escrow");
            }
            if (id != null) {
                return String.valueOf(id);
            }
        }
        return "unknown";
    }
}
