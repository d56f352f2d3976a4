package dev.escrowstack.gateway.rpc;

/**
 * Who a wallet RPC call is made for; becomes the span's escrow attributes. Fields are null when a
 * call belongs to no lease (health probes, spare creation).
 */
public record RpcCallContext(String escrowId, String role, String leaseId, String walletId, int processIndex) {

    public static RpcCallContext maintenance(int processIndex, String walletId) {
        return new RpcCallContext(null, null, null, walletId, processIndex);
    }
}
