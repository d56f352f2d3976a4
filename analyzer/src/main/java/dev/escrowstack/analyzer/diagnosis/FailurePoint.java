package dev.escrowstack.analyzer.diagnosis;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Role;

/**
 * Where an escrow failed: its first failed wallet step (of the wallets that failed at it, the first in role
 * order), or, when no call failed (a timeout, a verify
 * check, a lease that never came), its ERROR_FINAL's context.
 */
public record FailurePoint(String role, String walletId, Integer port, Integer round, String operation, String error, Long errorCode,
        long timestamp, int index) {

    public static FailurePoint of(EscrowFile file, List<RpcCall> calls) {
        RpcCall earliest = calls.stream().filter(c -> !c.success()).min((a, b) -> Long.compare(a.end(), b.end())).orElse(null);
        // When several wallets failed at that step (Pattern B, C's round 2), which answer came back first is a
        // matter of milliseconds and of who measured them: the wallets are taken in the setup's role order
        // instead, so escrow-service's journal and the files name the same one.
        RpcCall failed = earliest == null ? null : calls.stream()
                .filter(c -> !c.success() && c.round() == earliest.round() && c.method().equals(earliest.method()))
                .min(Comparator.comparingInt(c -> roleOrder(c.role()))).orElse(earliest);
        if (failed != null) {
            return new FailurePoint(failed.role(), failed.walletId(), failed.port(), failed.round(), failed.method(), failed.error(),
                    failed.errorCode(), failed.end(), failed.endIndex());
        }
        for (Event e : file.events()) {
            if (e.is(EventTypes.ERROR_FINAL)) {
                Map<String, Object> context = e.map("context");
                String role = e.role() != null ? e.role() : context.get("wallet") == null ? null : String.valueOf(context.get("wallet"));
                Object round = context.get("round");
                return new FailurePoint(role, null, e.rpcPort(), round instanceof Number n ? n.intValue() : null,
                        context.get("operation") == null ? null : String.valueOf(context.get("operation")), e.text("error"), null,
                        e.timestamp(), e.index());
            }
        }
        return null;
    }

    private static int roleOrder(String role) {
        for (Role r : Role.ALL) {
            if (r.name().equals(role)) {
                return r.ordinal();
            }
        }
        return Integer.MAX_VALUE;
    }

    /** The last snapshot of {@code role} before event {@code index}: the wallet's state before the error. */
    public static Event snapshotBefore(EscrowFile file, String role, int index) {
        Event last = null;
        for (Event e : file.events()) {
            if (e.index() >= index) {
                break;
            }
            if (e.isSnapshot() && role != null && role.equals(e.role())) {
                last = e;
            }
        }
        return last;
    }

    /** The parts of a snapshot that say what state a wallet was in (never anything secret: hashes only). */
    public static Map<String, Object> state(Event snapshot) {
        Map<String, Object> s = new LinkedHashMap<>();
        if (snapshot == null) {
            return s;
        }
        for (String key : List.of("wallet_id", "is_multisig", "multisig", "ready", "threshold", "total", "address_hash", "balance",
                "file_exists", "error")) {
            if (snapshot.details().containsKey(key)) {
                s.put(key, snapshot.details().get(key));
            }
        }
        if (snapshot.rpcPort() != null) {
            s.put("rpc_port", snapshot.rpcPort());
        }
        return s;
    }
}
