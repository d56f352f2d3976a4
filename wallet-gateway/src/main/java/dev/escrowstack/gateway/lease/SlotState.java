package dev.escrowstack.gateway.lease;

/** What a wallet-rpc process is doing for the lease core; every process is in exactly one state. */
public enum SlotState {
    /** Nobody holds it: a lease may get it, the spare keeper may reserve it. */
    FREE,
    /** Given to a grant whose wallets are being opened; it becomes LEASED, or FREE again if opening fails. */
    GRANTING,
    /** Serves an active (or ending) lease until the lease's wallets are stored and closed. */
    LEASED,
    /** Reserved by the spare keeper while it creates or opens a spare in it. */
    MAINTENANCE
}
