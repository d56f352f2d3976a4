package dev.escrowstack.escrow.client;

/**
 * A wallet-gateway call that did not succeed: the gateway's problem (status, type, detail) and, when
 * the wallet itself refused, its wallet-rpc error code.
 */
public class GatewayCallFailed extends RuntimeException {

    private final String operation;
    private final int status;
    private final String type;
    private final Integer walletErrorCode;
    private Integer port;

    public GatewayCallFailed(String operation, int status, String type, String detail, Integer walletErrorCode) {
        super(detail);
        this.operation = operation;
        this.status = status;
        this.type = type;
        this.walletErrorCode = walletErrorCode;
    }

    public String operation() {
        return operation;
    }

    /** HTTP status from the gateway, or 0 when it could not be reached. */
    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public Integer walletErrorCode() {
        return walletErrorCode;
    }

    /** The wallet-rpc port that answered, when the gateway says (a refusal does): under a shared instance, not the lease's. */
    public Integer port() {
        return port;
    }

    GatewayCallFailed servedBy(Integer port) {
        this.port = port;
        return this;
    }
}
