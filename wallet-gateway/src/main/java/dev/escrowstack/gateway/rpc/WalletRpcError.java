package dev.escrowstack.gateway.rpc;

/** The wallet answered with a JSON-RPC error object (e.g. -28 "This wallet is already multisig"). */
public class WalletRpcError extends RuntimeException {

    private final String method;
    private final int code;
    private final String walletMessage;

    public WalletRpcError(String method, int code, String walletMessage) {
        super(method + " failed with wallet-rpc error " + code + ": " + walletMessage);
        this.method = method;
        this.code = code;
        this.walletMessage = walletMessage;
    }

    public String method() {
        return method;
    }

    public int code() {
        return code;
    }

    public String walletMessage() {
        return walletMessage;
    }
}
