package dev.escrowstack.telemetry;

/** Span names, so Jaeger searches and the exporter's routing agree. */
public final class SpanNames {

    public static final String LEASE_ACQUIRE = "lease.acquire";
    public static final String LEASE_RELEASE = "lease.release";
    public static final String LEASE_EXPIRE = "lease.expire";
    public static final String PROCESS_RESTART = "wallet-process.restart";

    private static final String WALLET_RPC_PREFIX = "monero-wallet-rpc/";

    private SpanNames() {
    }

    /** Name of the CLIENT span of one wallet RPC call, e.g. {@code monero-wallet-rpc/make_multisig}. */
    public static String walletRpc(String method) {
        return WALLET_RPC_PREFIX + method;
    }

    public static boolean isWalletRpc(String spanName) {
        return spanName != null && spanName.startsWith(WALLET_RPC_PREFIX);
    }
}
