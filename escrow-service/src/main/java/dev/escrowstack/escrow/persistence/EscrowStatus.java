package dev.escrowstack.escrow.persistence;

public enum EscrowStatus {
    /** The multisig setup is running. */
    INITIALIZING,
    /** Setup done: all three wallets share one multisig address; awaiting funds. */
    READY,
    /** Setup failed; failure_* say where and why. */
    FAILED
}
