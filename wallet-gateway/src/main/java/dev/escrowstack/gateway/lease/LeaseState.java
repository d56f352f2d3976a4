package dev.escrowstack.gateway.lease;

public enum LeaseState {
    ACTIVE,
    /** Release or expiry in progress: calls are refused, wallets are being stored and closed. */
    ENDING,
    RELEASED,
    EXPIRED
}
