package dev.escrowstack.exporter.events;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/**
 * Turns one span of an escrow into the skill's events. A wallet RPC CLIENT span becomes
 * RPC_CALL_START at its start and RPC_CALL_END or RPC_CALL_ERROR at its end; span events named
 * SNAPSHOT_* become snapshots; lease and restart spans become lease events; the escrow.init span
 * gives STATE_CHANGE at start and end and, when it failed, ERROR_FINAL with error and context; a
 * wallet.file span gives FILE_OPERATION; span events named CUSTOM become CUSTOM events; an escrow.party.payout span
 * (a step of a payout the parties make) gives PARTY_PAYOUT on the lane of the party it concerns.
 * Other spans (HTTP, database) carry no event of their own. The RPC attributes are read under their
 * deprecated and their current (semconv 1.40) names alike, so either producer gives the same events.
 */
public final class SpanEvents {

    private SpanEvents() {
    }

    /**
     * Spans whose events state the escrow's status (STATE_CHANGE, ERROR_FINAL) or what the analyzer judges it by
     * (ATTEMPT_ABANDONED, PARTY_PAYOUT): only the escrow's owner may send them. A party's client exports spans too;
     * a forged escrow.party.payout from it could blame the other party (a refused tx set) or clear itself (an import).
     */
    public static boolean statesEscrowStatus(String spanName) {
        return spanName.equals(SpanNames.ESCROW_INIT) || spanName.equals(SpanNames.ESCROW_PAYOUT) || spanName.equals(SpanNames.ESCROW_FUNDING)
                || spanName.equals(SpanNames.ESCROW_DISPUTE) || spanName.equals(SpanNames.ESCROW_ROUND)
                || spanName.equals(SpanNames.ESCROW_PARTIES_OUTCOME) || spanName.equals(SpanNames.ESCROW_ATTEMPT_ABANDONED)
                || spanName.equals(SpanNames.ESCROW_PARTY_PAYOUT);
    }

    public static List<EscrowEvent> of(Span span, String escrowId) {
        Map<String, AnyValue> a = attributes(span.getAttributesList());
        String traceId = HexFormat.of().formatHex(span.getTraceId().toByteArray());
        String spanId = HexFormat.of().formatHex(span.getSpanId().toByteArray());
        long start = span.getStartTimeUnixNano() / 1_000_000;
        long end = span.getEndTimeUnixNano() / 1_000_000;
        long durationMs = Math.max(0, (span.getEndTimeUnixNano() - span.getStartTimeUnixNano()) / 1_000_000);
        String role = string(a, ESCROW_ROLE);
        Integer port = a.containsKey(SERVER_PORT) ? (int) a.get(SERVER_PORT).getIntValue() : null;
        boolean failed = span.getStatus().getCode() == Status.StatusCode.STATUS_CODE_ERROR;
        List<EscrowEvent> events = new ArrayList<>();
        String name = span.getName();

        if (SpanNames.isWalletRpc(name)) {
            String method = a.containsKey(RPC_METHOD) ? string(a, RPC_METHOD) : name.substring(name.indexOf('/') + 1);
            Map<String, Object> startDetails = details("method", method, "span_id", spanId, "lease_id", string(a, LEASE_ID),
                    "wallet_id", string(a, WALLET_ID), "round", number(a, ESCROW_ROUND), "timestamp", start);
            events.add(new EscrowEvent(spanId + "/start", traceId, start, EventTypes.RPC_CALL_START, role, port, startDetails));
            Map<String, Object> endDetails = details("method", method, "span_id", spanId, "duration_ms", durationMs, "success", !failed,
                    "round", number(a, ESCROW_ROUND), "wallet_id", string(a, WALLET_ID));
            if (failed) {
                endDetails.put("error", a.containsKey(RPC_JSONRPC_ERROR_MESSAGE) ? string(a, RPC_JSONRPC_ERROR_MESSAGE)
                        : span.getStatus().getMessage());
                putIfPresent(endDetails, "error_code", errorCode(a));
            }
            if (a.containsKey(MULTISIG_INPUT_SHA256)) {
                endDetails.put("input_info_hashes", a.get(MULTISIG_INPUT_SHA256).getArrayValue().getValuesList().stream()
                        .map(AnyValue::getStringValue).toList());
            }
            putIfPresent(endDetails, "output_info_hash", string(a, MULTISIG_INFO_SHA256));
            events.add(new EscrowEvent(spanId + "/end", traceId, end, failed ? EventTypes.RPC_CALL_ERROR : EventTypes.RPC_CALL_END,
                    role, port, endDetails));
        } else if (name.equals(SpanNames.LEASE_ACQUIRE)) {
            events.add(new EscrowEvent(spanId, traceId, end, EventTypes.LEASE_ACQUIRED, null, null, details(
                    "lease_id", string(a, LEASE_ID), "fencing_token", number(a, LEASE_FENCING_TOKEN), "wait_ms", number(a, LEASE_WAIT_MS),
                    "outcome", string(a, LEASE_OUTCOME), "success", !failed)));
        } else if (name.equals(SpanNames.LEASE_RELEASE) || name.equals(SpanNames.LEASE_EXPIRE)) {
            events.add(new EscrowEvent(spanId, traceId, end,
                    name.equals(SpanNames.LEASE_RELEASE) ? EventTypes.LEASE_RELEASED : EventTypes.LEASE_EXPIRED, null, null,
                    details("lease_id", string(a, LEASE_ID), "duration_ms", durationMs)));
        } else if (name.equals(SpanNames.WALLET_FILE)) {
            Map<String, Object> d = details("operation", string(a, WALLET_FILE_OPERATION), "wallet_id", string(a, WALLET_ID),
                    "success", !failed, "duration_ms", durationMs, "lease_id", string(a, LEASE_ID),
                    "file_perms", string(a, WALLET_FILE_PERMS));
            if (failed) {
                d.put("error", span.getStatus().getMessage());
            }
            events.add(new EscrowEvent(spanId, traceId, end, EventTypes.FILE_OPERATION, role, port, d));
        } else if (name.equals(SpanNames.PROCESS_RESTART)) {
            events.add(new EscrowEvent(spanId, traceId, end, EventTypes.PROCESS_RESTARTED, role, port, details(
                    "cause", string(a, "process.restart_cause"), "old_pid", number(a, "process.old_pid"), "pid", number(a, "process.pid"),
                    "wallet_id", string(a, WALLET_ID), "lease_id", string(a, LEASE_ID), "success", !failed)));
        } else if (name.equals(SpanNames.ESCROW_INIT)) {
            events.add(new EscrowEvent(spanId + "/start", traceId, start, EventTypes.STATE_CHANGE, null, null, details(
                    "state", "INITIALIZING", "escrow_id", escrowId, "buyer_id", string(a, ESCROW_BUYER_ID),
                    "vendor_id", string(a, ESCROW_VENDOR_ID), "amount", number(a, ESCROW_AMOUNT))));
            String status = string(a, ESCROW_STATUS);
            events.add(new EscrowEvent(spanId + "/end", traceId, end, EventTypes.STATE_CHANGE, null, null, details(
                    "state", status == null ? (failed ? "FAILED" : "READY") : status, "escrow_id", escrowId, "duration_ms", durationMs)));
            if (failed) {
                events.add(new EscrowEvent(spanId + "/error", traceId, end, EventTypes.ERROR_FINAL, role, null,
                        errorFinal(span, a, role, escrowId)));
            }
        } else if (name.equals(SpanNames.ESCROW_PAYOUT)) {
            // A payout: PAYOUT_PENDING when it starts, the state it ended in (RELEASED, … or back to FUNDED) at its end.
            events.add(new EscrowEvent(spanId + "/start", traceId, start, EventTypes.STATE_CHANGE, null, null, details(
                    "state", "PAYOUT_PENDING", "escrow_id", escrowId, "operation", string(a, ESCROW_OPERATION),
                    "amount", number(a, ESCROW_AMOUNT))));
            Map<String, Object> ended = details("state", string(a, ESCROW_STATUS), "escrow_id", escrowId,
                    "operation", string(a, ESCROW_OPERATION), "duration_ms", durationMs, "success", !failed,
                    "attempts", number(a, PAYOUT_ATTEMPT), "tx_hashes", number(a, PAYOUT_TX_HASHES),
                    "payout_amount", number(a, PAYOUT_AMOUNT), "fee", number(a, PAYOUT_FEE));
            if (failed) {
                ended.put("error", span.getStatus().getMessage());
            }
            events.add(new EscrowEvent(spanId + "/end", traceId, end, EventTypes.STATE_CHANGE, null, null, ended));
        } else if (name.equals(SpanNames.ESCROW_FUNDING) && a.containsKey(ESCROW_STATUS)
                || name.equals(SpanNames.ESCROW_DISPUTE)) {
            // Only the checks that changed the state: the watcher's quiet polls are in the RPC calls already.
            events.add(new EscrowEvent(spanId + "/end", traceId, end, EventTypes.STATE_CHANGE, role, null, details(
                    "state", string(a, ESCROW_STATUS), "escrow_id", escrowId, "received", number(a, ESCROW_RECEIVED),
                    "confirmations", number(a, ESCROW_CONFIRMATIONS), "funding_state", string(a, ESCROW_FUNDING_STATE))));
        } else if (name.equals(SpanNames.ESCROW_PARTY_MESSAGE)) {
            // A participant's message to a non-custodial setup's mailbox: what came, from whom, for which round — hashes only.
            Map<String, Object> message = details("round", number(a, ESCROW_ROUND), "sha256", string(a, PARTY_MESSAGE_SHA256),
                    "size", number(a, PARTY_MESSAGE_SIZE), "outcome", string(a, PARTY_MESSAGE_OUTCOME), "success", !failed);
            putIfPresent(message, "sent_sha256", string(a, PARTY_MESSAGE_SENT_SHA256));
            putIfPresent(message, "signer_sha256", string(a, PARTY_MESSAGE_SIGNER_SHA256));
            if (failed) {
                message.put("error", span.getStatus().getMessage());
            }
            events.add(new EscrowEvent(spanId, traceId, start, EventTypes.PARTY_MESSAGE, role, null, message));
        } else if (name.equals(SpanNames.ESCROW_PARTY_PAYOUT)) {
            events.add(new EscrowEvent(spanId, traceId, start, EventTypes.PARTY_PAYOUT, role, null, partyPayout(span, a, failed)));
        } else if (name.equals(SpanNames.ESCROW_PARTIES_OUTCOME)) {
            String status = string(a, ESCROW_STATUS);
            events.add(new EscrowEvent(spanId + "/end", traceId, end, EventTypes.STATE_CHANGE, null, null, details(
                    "state", status, "escrow_id", escrowId, "custody", "parties")));
            if (failed) {
                events.add(new EscrowEvent(spanId + "/error", traceId, end, EventTypes.ERROR_FINAL, role, null,
                        errorFinal(span, a, role, escrowId)));
            }
        } else if (name.equals(SpanNames.ESCROW_ATTEMPT_ABANDONED)) {
            // A setup attempt given up after a fault: the events after this one belong to the next attempt.
            Map<String, Object> abandoned = details("attempt", number(a, ESCROW_ATTEMPT), "fault", string(a, ESCROW_FAULT),
                    "round", number(a, ESCROW_ROUND), "operation", string(a, ESCROW_OPERATION), "wallet_id", string(a, WALLET_ID),
                    "wallets", walletsOf(string(a, ESCROW_WALLETS)), "reason", span.getStatus().getMessage());
            events.add(new EscrowEvent(spanId, traceId, start, EventTypes.ATTEMPT_ABANDONED, role, null, abandoned));
        } else if (name.equals(SpanNames.ESCROW_ROUND)) {
            events.add(new EscrowEvent(spanId, traceId, start, EventTypes.STATE_CHANGE, null, null, details(
                    "state", "ROUND_" + number(a, ESCROW_ROUND), "round", number(a, ESCROW_ROUND),
                    "operation", string(a, ESCROW_OPERATION), "duration_ms", durationMs, "success", !failed)));
        }

        for (int i = 0; i < span.getEventsCount(); i++) {
            Span.Event e = span.getEvents(i);
            boolean snapshot = e.getName().startsWith("SNAPSHOT_") || e.getName().equals(EventTypes.CACHE_POLLUTION_DETECTED);
            if (snapshot || e.getName().equals(EventTypes.CUSTOM)) {
                Map<String, AnyValue> ea = attributes(e.getAttributesList());
                Map<String, Object> d = new LinkedHashMap<>();
                ea.forEach((k, v) -> d.put(k, value(v)));
                long at = e.getTimeUnixNano() / 1_000_000;
                String eventRole = ea.containsKey("role") ? ea.get("role").getStringValue() : role;
                // Boxed on both sides: a snapshot that failed carries no port, and neither may its span.
                Integer eventPort = ea.containsKey("rpc_port") ? Integer.valueOf((int) ea.get("rpc_port").getIntValue()) : port;
                if (snapshot) {
                    // The skill's snapshot details carry their time and port too, beside the event's own.
                    d.putIfAbsent("timestamp", at);
                    putIfPresent(d, "rpc_port", eventPort);
                }
                if (e.getName().equals(EventTypes.CACHE_POLLUTION_DETECTED)) {
                    d.putIfAbsent("reason", "wallet already multisig before round 1");
                }
                events.add(new EscrowEvent(spanId + "/event/" + i, traceId, at, e.getName(), eventRole, eventPort, d));
            }
        }
        return events;
    }

    /**
     * One step of a payout the parties make: what step, in which sync epoch, for which payout kind, and what the
     * service decided — hashes of the transaction set and of the addresses, never the set, an info or an address.
     */
    private static Map<String, Object> partyPayout(Span span, Map<String, AnyValue> a, boolean failed) {
        Map<String, Object> d = details("step", string(a, PARTY_PAYOUT_STEP), "epoch", number(a, PARTY_PAYOUT_EPOCH),
                "operation", string(a, ESCROW_OPERATION), "outcome", string(a, PARTY_PAYOUT_OUTCOME),
                "reason", string(a, PARTY_PAYOUT_REASON), "stale_roles", string(a, PARTY_PAYOUT_STALE_ROLES),
                "txset_sha256", string(a, PARTY_PAYOUT_TXSET_SHA256), "destination_sha256", string(a, PARTY_PAYOUT_DESTINATION_SHA256),
                "expected_sha256", string(a, PARTY_PAYOUT_EXPECTED_SHA256), "signer", string(a, PARTY_PAYOUT_SIGNER),
                "since", string(a, PARTY_PAYOUT_SINCE), "deadline", string(a, PARTY_PAYOUT_DEADLINE), "success", !failed);
        if (failed) {
            d.put("error", span.getStatus().getMessage());
        }
        return d;
    }

    /** "buyer=w1,vendor=w2,arbiter=w3" as a map by role. */
    private static Map<String, Object> walletsOf(String joined) {
        Map<String, Object> wallets = new LinkedHashMap<>();
        if (joined != null) {
            for (String pair : joined.split(",")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    wallets.put(pair.substring(0, eq), pair.substring(eq + 1));
                }
            }
        }
        return wallets;
    }

    /** The wallet's error code: rpc.jsonrpc.error_code (a number) or, from a producer on semconv 1.40, rpc.status_code (its string). */
    private static Long errorCode(Map<String, AnyValue> a) {
        AnyValue old = a.get(RPC_JSONRPC_ERROR_CODE);
        if (old != null && old.hasIntValue()) {
            return old.getIntValue();
        }
        String current = string(a, old != null ? RPC_JSONRPC_ERROR_CODE : RPC_STATUS_CODE);
        try {
            return current == null ? null : Long.valueOf(current.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    public static Map<String, AnyValue> attributes(List<KeyValue> list) {
        Map<String, AnyValue> map = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            map.put(kv.getKey(), kv.getValue());
        }
        return map;
    }

    public static String string(Map<String, AnyValue> a, String key) {
        AnyValue v = a.get(key);
        return v == null ? null : v.hasStringValue() ? v.getStringValue() : String.valueOf(value(v));
    }

    private static Object number(Map<String, AnyValue> a, String key) {
        AnyValue v = a.get(key);
        return v == null ? null : value(v);
    }

    static Object value(AnyValue v) {
        return switch (v.getValueCase()) {
            case STRING_VALUE -> v.getStringValue();
            case INT_VALUE -> v.getIntValue();
            case DOUBLE_VALUE -> v.getDoubleValue();
            case BOOL_VALUE -> v.getBoolValue();
            case ARRAY_VALUE -> v.getArrayValue().getValuesList().stream().map(SpanEvents::value).toList();
            case KVLIST_VALUE -> {
                Map<String, Object> m = new LinkedHashMap<>();
                v.getKvlistValue().getValuesList().forEach(kv -> m.put(kv.getKey(), value(kv.getValue())));
                yield m;
            }
            case BYTES_VALUE -> HexFormat.of().formatHex(v.getBytesValue().toByteArray());
            default -> null;
        };
    }

    /** key, value, key, value…; null values are left out. */
    /**
     * A setup's ERROR_FINAL (custodial escrow.init, non-custodial escrow.parties.outcome): where it failed and
     * escrow-service's diagnosis at the time (the analyzer library's), so the file says what the API said; the
     * analyzer still reads the events for itself.
     */
    private static Map<String, Object> errorFinal(Span span, Map<String, AnyValue> a, String role,
            String escrowId) {
        Map<String, Object> error = details(
                "error", span.getStatus().getMessage(),
                "context", details("round", number(a, ESCROW_ROUND), "operation", string(a, ESCROW_OPERATION),
                        "wallet", role, "escrow", escrowId, "failed_roles", string(a, ESCROW_FAILED_ROLES)));
        putIfPresent(error, "root_cause", a.containsKey(ESCROW_ROOT_CAUSE_PATTERN) ? details(
                "pattern", string(a, ESCROW_ROOT_CAUSE_PATTERN), "role", string(a, ESCROW_ROOT_CAUSE_ROLE),
                "wallet_id", string(a, ESCROW_ROOT_CAUSE_WALLET_ID), "round", number(a, ESCROW_ROOT_CAUSE_ROUND),
                "operation", string(a, ESCROW_ROOT_CAUSE_OPERATION), "cause", string(a, ESCROW_ROOT_CAUSE),
                "previous_escrow_id", string(a, ESCROW_ROOT_CAUSE_PREVIOUS_ESCROW)) : null);
        return error;
    }

    private static Map<String, Object> details(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] != null) {
                m.put((String) kv[i], kv[i + 1]);
            }
        }
        return m;
    }

    private static void putIfPresent(Map<String, Object> m, String key, Object value) {
        if (value != null) {
            m.put(key, value);
        }
    }
}
