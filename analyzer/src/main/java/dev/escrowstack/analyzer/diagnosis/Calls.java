package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * Joins RPC_CALL_START with its RPC_CALL_END/ERROR: by {@code span_id} when the file has one, else the
 * oldest open START of the same role and method (files of other tools). An END without a START starts
 * {@code duration_ms} before it.
 */
public final class Calls {

    private Calls() {
    }

    public static List<RpcCall> of(EscrowFile file) {
        Map<String, Event> bySpan = new HashMap<>();
        Map<String, Deque<Event>> byRoleMethod = new HashMap<>();
        Map<String, Integer> exchanges = new HashMap<>();
        List<RpcCall> calls = new ArrayList<>();
        int round = 0;
        for (Event e : file.events()) {
            if (e.is(EventTypes.STATE_CHANGE) && e.number("round") != null) {
                round = e.number("round").intValue();
            } else if (e.is(EventTypes.STATE_CHANGE) && e.text("state") != null && e.text("state").startsWith("ROUND_")) {
                round = parseRound(e.text("state").substring(6), round);
            }
            if (e.is(EventTypes.RPC_CALL_START)) {
                if (e.text("span_id") != null) {
                    bySpan.put(e.text("span_id"), e);
                } else {
                    byRoleMethod.computeIfAbsent(e.role() + "/" + e.method(), k -> new ArrayDeque<>()).add(e);
                }
            } else if (e.is(EventTypes.RPC_CALL_END) || e.is(EventTypes.RPC_CALL_ERROR)) {
                Event start = e.text("span_id") != null ? bySpan.remove(e.text("span_id")) : null;
                if (start == null) {
                    Deque<Event> open = byRoleMethod.get(e.role() + "/" + e.method());
                    start = open == null ? null : open.poll();
                }
                long duration = e.number("duration_ms") != null ? e.number("duration_ms") : 0;
                long begin = start != null ? start.timestamp() : e.timestamp() - duration;
                String method = e.method() != null ? e.method() : start != null ? start.method() : "?";
                int callRound = callRound(e, start, method, round, exchanges);
                boolean success = e.is(EventTypes.RPC_CALL_END) && !Boolean.FALSE.equals(e.flag("success"));
                calls.add(new RpcCall(file.escrowId(), e.role() != null ? e.role() : start == null ? null : start.role(), method,
                        e.rpcPort() != null ? e.rpcPort() : start == null ? null : start.rpcPort(),
                        firstNonNull(e.text("wallet_id"), start == null ? null : start.text("wallet_id")), callRound, begin,
                        Math.max(begin, e.timestamp()), success, error(e), e.number("error_code"),
                        e.list("input_info_hashes").stream().map(String::valueOf).toList(), e.text("output_info_hash"), e.index()));
            }
        }
        return calls;
    }

    /** The file's round if it has one; else the skill's: prepare and make are round 1, exchanges 2 then 3. */
    private static int callRound(Event end, Event start, String method, int current, Map<String, Integer> exchanges) {
        Long explicit = end.number("round") != null ? end.number("round") : start == null ? null : start.number("round");
        if (method.equals("exchange_multisig_keys")) {
            int n = exchanges.merge(String.valueOf(end.role()), 1, Integer::sum);
            return explicit != null ? explicit.intValue() : n + 1;
        }
        if (explicit != null) {
            return explicit.intValue();
        }
        if (method.equals("prepare_multisig") || method.equals("make_multisig")) {
            return 1;
        }
        return current;
    }

    private static int parseRound(String s, int fallback) {
        try {
            return Integer.parseInt(s.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    private static String error(Event e) {
        if (!e.is(EventTypes.RPC_CALL_ERROR) && !Boolean.FALSE.equals(e.flag("success"))) {
            return null;
        }
        return Objects.requireNonNullElse(e.text("error"), "failed (no message)");
    }

    private static String firstNonNull(String a, String b) {
        return a != null ? a : b;
    }
}
