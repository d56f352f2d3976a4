package dev.escrowstack.party.wallet;

/** A wallet call that failed: the method, and the wallet's JSON-RPC error (code, message) or why it could not be reached. */
public final class WalletRpcException extends RuntimeException {

    private final String method;
    private final Integer code;

    public WalletRpcException(String method, Integer code, String message) {
        super("wallet " + method + " failed" + (code == null ? "" : " (code " + code + ")") + ": " + message);
        this.method = method;
        this.code = code;
    }

    public String method() {
        return method;
    }

    /** The wallet's JSON-RPC error code; null when the wallet did not answer (unreachable, login refused). */
    public Integer code() {
        return code;
    }
}
