package dev.escrowstack.testsupport;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.escrowstack.telemetry.EventTypes;

/**
 * A STRICT reader of the skill's {@code escrow_<id>.json} format, written from the format's field list alone, as
 * a tool built for the skill's files would read them: role a string on every event (such a reader formats it),
 * snapshot details with timestamp, rpc_port, file_perms (octal) and open_wallets_count, RPC_CALL_START with
 * details.timestamp, CACHE_POLLUTION_DETECTED with details.reason, FILE_OPERATION with operation, success and
 * duration_ms. What it refuses, it refuses with an AssertionError naming the event and the field.
 */
public final class SkillFormat {

    private SkillFormat() {
    }

    /** The strict reader: one line per event as the skill's tool prints it, or an AssertionError naming what is missing. */
    public static List<String> readStrictly(JsonNode file) {
        check(file.isArray(), "an escrow file is a JSON array of events");
        List<String> lines = new ArrayList<>();
        int n = 0;
        for (JsonNode e : file) {
            String at = "event #" + n++ + " " + e;
            check(e.path("timestamp").isNumber(), at + ": timestamp");
            check(e.path("event_type").isTextual(), at + ": event_type");
            check(e.path("role").isTextual(), at + ": role must be a string");
            check(e.path("details").isObject(), at + ": details");
            check(!e.has("rpc_port") || e.get("rpc_port").canConvertToInt(), at + ": rpc_port");
            String type = e.get("event_type").asText();
            JsonNode d = e.get("details");
            if (type.startsWith("SNAPSHOT_")) {
                for (String f : List.of("wallet_id", "role", "address_hash", "balance", "file_exists", "collection_time_ms", "timestamp",
                        "rpc_port", "file_perms", "open_wallets_count")) {
                    check(d.has(f) && !d.get(f).isNull(), at + ": snapshot details." + f);
                }
                check(d.has("multisig") || d.has("is_multisig"), at + ": snapshot multisig");
                check(d.get("file_perms").isTextual() && d.get("file_perms").asText().matches("[0-7]{3,4}"), at + ": file_perms octal");
                check(d.get("open_wallets_count").canConvertToInt(), at + ": open_wallets_count");
                check(d.get("rpc_port").canConvertToInt() && d.get("timestamp").isNumber(), at + ": rpc_port, timestamp");
            }
            switch (type) {
                case EventTypes.RPC_CALL_START -> require(d, at, "method", "timestamp");
                case EventTypes.RPC_CALL_END, EventTypes.RPC_CALL_ERROR -> require(d, at, "method", "duration_ms", "success");
                case EventTypes.ERROR_FINAL -> {
                    require(d, at, "error", "context");
                    require(d.get("context"), at, "round", "operation", "wallet", "escrow");
                }
                case EventTypes.CACHE_POLLUTION_DETECTED -> require(d, at, "reason");
                case EventTypes.FILE_OPERATION -> {
                    require(d, at, "operation", "success", "duration_ms");
                    check(d.get("success").isBoolean() && d.get("duration_ms").isNumber(), at);
                }
                case EventTypes.STATE_CHANGE -> require(d, at, "state");
                default -> {
                }
            }
            lines.add("[" + type + "] role=" + e.get("role").asText().toUpperCase() + " " + d.path("method").asText(d.path("operation").asText("")));
        }
        return lines;
    }

    private static void require(JsonNode d, String at, String... fields) {
        for (String f : fields) {
            check(d.has(f) && !d.get(f).isNull(), at + ": details." + f);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new AssertionError(what);
        }
    }
}
