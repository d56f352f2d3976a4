package dev.escrowstack.escrow.client;

import java.time.Duration;

/** The gateway had no three wallets free until the deadline. */
public class GatewayBusy extends RuntimeException {

    private final Duration retryAfter;

    public GatewayBusy(String message, Duration retryAfter) {
        super(message);
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
