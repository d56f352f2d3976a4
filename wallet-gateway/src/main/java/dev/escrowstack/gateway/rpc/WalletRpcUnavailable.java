package dev.escrowstack.gateway.rpc;

/** No usable answer: connection refused or reset (process died), timeout, or a non-JSON-RPC reply. */
public class WalletRpcUnavailable extends RuntimeException {

    private final String method;
    private final boolean timedOut;

    public WalletRpcUnavailable(String method, String message, boolean timedOut, Throwable cause) {
        super(message, cause);
        this.method = method;
        this.timedOut = timedOut;
    }

    public String method() {
        return method;
    }

    public boolean timedOut() {
        return timedOut;
    }
}
