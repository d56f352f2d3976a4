package dev.escrowstack.analyzer.diagnosis;

import java.util.List;

/** One wallet RPC call of an escrow, its START and END/ERROR events joined. */
public record RpcCall(String escrowId, String role, String method, Integer port, String walletId, int round, long start, long end,
        boolean success, String error, Long errorCode, List<String> inputHashes, String outputHash, int endIndex) {

    public boolean overlaps(RpcCall other) {
        return start < other.end && other.start < end;
    }

    /** Who made the call, for messages: "escrow esc-1 buyer". */
    public String who() {
        return "escrow " + escrowId + " " + (role == null ? "(no role)" : role);
    }
}
