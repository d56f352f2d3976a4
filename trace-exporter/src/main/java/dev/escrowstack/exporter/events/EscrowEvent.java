package dev.escrowstack.exporter.events;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.escrowstack.telemetry.EventTypes;

/**
 * One event of an escrow_<id>.json file, in the skill's format. {@code key} identifies where it came
 * from (span id + kind), so a span delivered twice or late replaces its events instead of doubling them.
 * {@code role} is always a string: an event of no wallet (STATE_CHANGE, LEASE_*) says "coordinator", as the
 * skill's own systems write it, so a reader that formats the role never meets null.
 */
public record EscrowEvent(String key, String traceId, long timestamp, String eventType, String role, Integer rpcPort,
        Map<String, Object> details) {

    public EscrowEvent {
        role = role == null ? EventTypes.NO_WALLET_ROLE : role;
    }

    /** Streams the same object as {@link #toJson()} without building it. */
    public void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
        g.writeStartObject();
        g.writeStringField("trace_id", traceId);
        g.writeNumberField("timestamp", timestamp);
        g.writeStringField("event_type", eventType);
        g.writeStringField("role", role);
        if (rpcPort != null) {
            g.writeNumberField("rpc_port", rpcPort);
        }
        g.writeFieldName("details");
        g.writeObject(details);
        g.writeEndObject();
    }

    /** The file's JSON object: trace_id, timestamp (ms), event_type, role, rpc_port (when known), details. */
    public Map<String, Object> toJson() {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("trace_id", traceId);
        json.put("timestamp", timestamp);
        json.put("event_type", eventType);
        json.put("role", role);
        if (rpcPort != null) {
            json.put("rpc_port", rpcPort);
        }
        json.put("details", details);
        return json;
    }
}
