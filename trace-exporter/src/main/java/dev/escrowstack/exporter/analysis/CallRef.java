package dev.escrowstack.exporter.analysis;

import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.model.EscrowFile;

/**
 * One wallet RPC call as the trace browser finds it among its bars: {@code endIndex} is the index, in
 * escrow_<id>.json, of the call's RPC_CALL_END or RPC_CALL_ERROR event, {@code spanId} its span.
 */
public record CallRef(String role, String method, Integer rpcPort, String walletId, Integer round, long start, long end, boolean success,
        String error, Long errorCode, int endIndex, String spanId) {

    static CallRef of(EscrowFile file, RpcCall c) {
        if (c == null) {
            return null;
        }
        String span = c.endIndex() < file.events().size() ? file.events().get(c.endIndex()).text("span_id") : null;
        return new CallRef(c.role(), c.method(), c.port(), c.walletId(), c.round() > 0 ? c.round() : null, c.start(), c.end(), c.success(),
                c.error(), c.errorCode(), c.endIndex(), span);
    }
}
