package dev.escrowstack.analyzer.model;

import java.util.List;
import java.util.Map;

import dev.escrowstack.telemetry.EventTypes;

/**
 * One event of an escrow file: {@code {"trace_id","timestamp" (ms),"event_type","role","rpc_port"?,"details"}}.
 * {@code index} is its position in the file (0-based), which is what "event #N" refers to. {@code role} is
 * null for an event of no wallet, whether the file wrote null or, as the skill's systems do, "coordinator".
 */
public record Event(int index, String traceId, long timestamp, String type, String role, Integer rpcPort, Map<String, Object> details) {

    public Event {
        role = EventTypes.NO_WALLET_ROLE.equals(role) ? null : role;
    }

    public boolean is(String eventType) {
        return type.equals(eventType);
    }

    public boolean isSnapshot() {
        return type.startsWith("SNAPSHOT_");
    }

    public boolean isRpc() {
        return type.startsWith("RPC_CALL_");
    }

    public String text(String key) {
        Object v = details.get(key);
        return v == null ? null : String.valueOf(v);
    }

    public Long number(String key) {
        Object v = details.get(key);
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** true/false, also from "true", 1/0 — files written by other tools are not always strict. */
    public Boolean flag(String key) {
        Object v = details.get(key);
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.intValue() != 0;
        }
        if (v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(s);
        }
        return null;
    }

    public String method() {
        return text("method");
    }

    /** The wallet's multisig flag in a snapshot; the skill's own files say {@code multisig} or {@code is_multisig}. */
    public Boolean multisig() {
        Boolean b = flag("is_multisig");
        return b != null ? b : flag("multisig");
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> map(String key) {
        return details.get(key) instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    public List<Object> list(String key) {
        return details.get(key) instanceof List<?> l ? (List<Object>) l : List.of();
    }
}
