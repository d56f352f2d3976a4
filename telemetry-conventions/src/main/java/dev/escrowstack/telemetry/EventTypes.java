package dev.escrowstack.telemetry;

/**
 * Event types of the skill's {@code escrow_<id>.json} file. Snapshot names double as span event
 * names, so the exporter can copy them through unchanged.
 */
public final class EventTypes {

    public static final String RPC_CALL_START = "RPC_CALL_START";
    public static final String RPC_CALL_END = "RPC_CALL_END";
    public static final String RPC_CALL_ERROR = "RPC_CALL_ERROR";
    public static final String ERROR_FINAL = "ERROR_FINAL";
    public static final String CACHE_POLLUTION_DETECTED = "CACHE_POLLUTION_DETECTED";
    public static final String STATE_CHANGE = "STATE_CHANGE";
    /** Custody PARTIES: a participant's message to the setup's mailbox (round, SHA-256, size, outcome; never the info). */
    public static final String PARTY_MESSAGE = "PARTY_MESSAGE";
    /**
     * Custody PARTIES, funds: one step of a payout made by the parties (from an escrow.party.payout span): its
     * step, epoch, outcome, reason, stale roles, transaction set and destination hashes, the awaited signer.
     */
    public static final String PARTY_PAYOUT = "PARTY_PAYOUT";
    /**
     * A custodial setup attempt given up after a fault whose outcome is unknown (attempt, fault, round, operation,
     * the failing wallet, the attempt's wallets, reason); the events after it belong to the next attempt.
     */
    public static final String ATTEMPT_ABANDONED = "ATTEMPT_ABANDONED";

    public static final String LEASE_ACQUIRED = "LEASE_ACQUIRED";
    public static final String LEASE_RELEASED = "LEASE_RELEASED";
    public static final String LEASE_EXPIRED = "LEASE_EXPIRED";
    /** A wallet-rpc process died or hung while a lease held it, and was restarted. */
    public static final String PROCESS_RESTARTED = "PROCESS_RESTARTED";
    /** A wallet file operation of the gateway (create, open, store, close, park, quarantine), from a {@code wallet.file} span. */
    public static final String FILE_OPERATION = "FILE_OPERATION";
    /**
     * Anything else worth a line in the file: a span event named CUSTOM, its attributes copied into details;
     * {@code name} says what it is (e.g. {@code fault_injected}).
     */
    public static final String CUSTOM = "CUSTOM";
    /** The file's {@code role} of an event that belongs to no wallet (the skill's systems write this, never null). */
    public static final String NO_WALLET_ROLE = "coordinator";

    public static final String SNAPSHOT_PRE_ROUND1 = "SNAPSHOT_PRE_ROUND1";
    public static final String SNAPSHOT_POST_MAKE_MULTISIG = "SNAPSHOT_POST_MAKE_MULTISIG";
    public static final String SNAPSHOT_PRE_ROUND2 = "SNAPSHOT_PRE_ROUND2";
    public static final String SNAPSHOT_POST_EXPORT_MULTISIG = "SNAPSHOT_POST_EXPORT_MULTISIG";
    public static final String SNAPSHOT_PRE_ROUND3 = "SNAPSHOT_PRE_ROUND3";
    public static final String SNAPSHOT_POST_IMPORT_MULTISIG = "SNAPSHOT_POST_IMPORT_MULTISIG";
    public static final String SNAPSHOT_FINAL = "SNAPSHOT_FINAL";

    // The funds path's snapshot points (ENABLE_INSTRUMENTATION=1), after the skill's seven.
    /** The arbiter wallet's state when a funding check moved the escrow to FUNDED. */
    public static final String SNAPSHOT_FUNDED = "SNAPSHOT_FUNDED";
    /** Each paying wallet before export_multisig_info. */
    public static final String SNAPSHOT_PRE_PAYOUT = "SNAPSHOT_PRE_PAYOUT";
    /** Each paying wallet after import_multisig_info, right before the transaction is built. */
    public static final String SNAPSHOT_POST_PAYOUT_IMPORT = "SNAPSHOT_POST_PAYOUT_IMPORT";
    /** The submitting wallet after submit_multisig. */
    public static final String SNAPSHOT_POST_PAYOUT = "SNAPSHOT_POST_PAYOUT";

    private EventTypes() {
    }
}
