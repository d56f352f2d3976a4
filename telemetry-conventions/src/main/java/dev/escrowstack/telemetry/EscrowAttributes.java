package dev.escrowstack.telemetry;

/**
 * Span attribute keys shared by every service that emits escrow spans and by the exporter that
 * turns them into {@code escrow_<id>.json} events. One place, so a producer and the consumer can
 * never drift apart.
 */
public final class EscrowAttributes {

    // OpenTelemetry RPC semantic conventions before 1.40 (deprecated there; still emitted by default, see RpcSemconv).
    public static final String RPC_SYSTEM = "rpc.system";
    public static final String RPC_SYSTEM_JSONRPC = "jsonrpc";
    public static final String RPC_METHOD = "rpc.method";
    public static final String RPC_JSONRPC_VERSION = "rpc.jsonrpc.version";
    public static final String RPC_JSONRPC_ERROR_CODE = "rpc.jsonrpc.error_code";
    public static final String RPC_JSONRPC_ERROR_MESSAGE = "rpc.jsonrpc.error_message";
    public static final String RPC_JSONRPC_REQUEST_ID = "rpc.jsonrpc.request_id";
    public static final String SERVER_ADDRESS = "server.address";
    public static final String SERVER_PORT = "server.port";
    public static final String ERROR_TYPE = "error.type";

    // The RPC conventions' release candidate (semconv 1.40): the names that replace the ones above.
    public static final String RPC_SYSTEM_NAME = "rpc.system.name";
    /** The JSON-RPC error code as a string, e.g. {@code "-28"}; absent on success. */
    public static final String RPC_STATUS_CODE = "rpc.status_code";
    public static final String JSONRPC_REQUEST_ID = "jsonrpc.request.id";
    public static final String JSONRPC_PROTOCOL_VERSION = "jsonrpc.protocol.version";

    // Escrow context, carried on every span that belongs to an escrow.
    public static final String ESCROW_ID = "escrow.id";
    public static final String ESCROW_ROLE = "escrow.role";
    public static final String ESCROW_ROUND = "escrow.round";
    public static final String ESCROW_BUYER_ID = "escrow.buyer_id";
    public static final String ESCROW_VENDOR_ID = "escrow.vendor_id";
    public static final String ESCROW_AMOUNT = "escrow.amount";
    public static final String ESCROW_STATUS = "escrow.status";
    /** The wallet operation a round span or a failure is about, e.g. {@code make_multisig}. */
    public static final String ESCROW_OPERATION = "escrow.operation";
    /**
     * A failed setup's root cause, as the analyzer library diagnosed it in escrow-service (escrow.role,
     * escrow.round and escrow.operation say where it surfaced): ERROR_FINAL carries them as root_cause.
     */
    public static final String ESCROW_ROOT_CAUSE_PATTERN = "escrow.root_cause.pattern";
    public static final String ESCROW_ROOT_CAUSE_ROLE = "escrow.root_cause.role";
    public static final String ESCROW_ROOT_CAUSE_WALLET_ID = "escrow.root_cause.wallet_id";
    public static final String ESCROW_ROOT_CAUSE_ROUND = "escrow.root_cause.round";
    public static final String ESCROW_ROOT_CAUSE_OPERATION = "escrow.root_cause.operation";
    public static final String ESCROW_ROOT_CAUSE = "escrow.root_cause";
    /** On escrow.init: how many setup attempts it took; on escrow.attempt.abandoned: which one was given up. */
    public static final String ESCROW_ATTEMPT = "escrow.attempt";
    /** On escrow.attempt.abandoned: what kind of fault (wallet-process-crashed, round-timeout, gateway-unreachable, lease-lost). */
    public static final String ESCROW_FAULT = "escrow.fault";
    /** On escrow.attempt.abandoned: the abandoned attempt's wallets, "buyer=w1,vendor=w2,arbiter=w3" (ids, never anything secret). */
    public static final String ESCROW_WALLETS = "escrow.wallets";
    /** On escrow.init: service (the service holds all three wallets) or parties (docs/parties.md). */
    public static final String ESCROW_CUSTODY = "escrow.custody";
    /** Custody PARTIES, on escrow.party.message: the message's SHA-256 and size (never the info itself). */
    public static final String PARTY_MESSAGE_SHA256 = "escrow.party.message.sha256";
    public static final String PARTY_MESSAGE_SIZE = "escrow.party.message.size";
    /** NEW, SAME (an idempotent resubmission) or DIFFERS (refused with 409: the first one counts). */
    public static final String PARTY_MESSAGE_OUTCOME = "escrow.party.message.outcome";
    /** DIFFERS: the hash of the refused info, beside the stored one's. */
    public static final String PARTY_MESSAGE_SENT_SHA256 = "escrow.party.message.sent_sha256";
    /**
     * A kex message's signing key, by SHA-256: the wallet that made it, the same in every round of one
     * participant (a different one is an info from another wallet).
     */
    public static final String PARTY_MESSAGE_SIGNER_SHA256 = "escrow.party.message.signer_sha256";
    /**
     * On escrow.party.payout: the step, one of {@code sync-opened}, {@code sync-export}, {@code sync-imported},
     * {@code stale}, {@code txset}, {@code signature-awaited}, {@code signer-overdue}, {@code submitted}.
     */
    public static final String PARTY_PAYOUT_STEP = "escrow.party.payout.step";
    /** The sync epoch: a new one opens at funding, at a dispute, after a refused transaction set and at a re-issue. */
    public static final String PARTY_PAYOUT_EPOCH = "escrow.party.payout.epoch";
    /** sync-export: NEW, SAME or DIFFERS (as a setup message); txset: ACCEPTED or REFUSED. */
    public static final String PARTY_PAYOUT_OUTCOME = "escrow.party.payout.outcome";
    /** Why a transaction set was refused or a party is stale, in words. */
    public static final String PARTY_PAYOUT_REASON = "escrow.party.payout.reason";
    /** stale: the parties that have not imported the epoch's infos, "buyer,vendor". */
    public static final String PARTY_PAYOUT_STALE_ROLES = "escrow.party.payout.stale_roles";
    /** txset: the transaction set's SHA-256, the address it pays (SHA-256) and the recorded payout address's (SHA-256). */
    public static final String PARTY_PAYOUT_TXSET_SHA256 = "escrow.party.payout.txset_sha256";
    public static final String PARTY_PAYOUT_DESTINATION_SHA256 = "escrow.party.payout.destination_sha256";
    public static final String PARTY_PAYOUT_EXPECTED_SHA256 = "escrow.party.payout.expected_sha256";
    /** signature-awaited, signer-overdue: the party whose signature is awaited, since when and until when (ISO-8601). */
    public static final String PARTY_PAYOUT_SIGNER = "escrow.party.payout.signer";
    public static final String PARTY_PAYOUT_SINCE = "escrow.party.payout.since";
    public static final String PARTY_PAYOUT_DEADLINE = "escrow.party.payout.deadline";
    /** Pattern A: the escrow that had the polluted wallet before (escrow-service's records say so). */
    public static final String ESCROW_ROOT_CAUSE_PREVIOUS_ESCROW = "escrow.root_cause.previous_escrow_id";
    /** Every wallet whose call failed, "buyer,vendor,arbiter": under Pattern B all three fail at once. */
    public static final String ESCROW_FAILED_ROLES = "escrow.failed_roles";
    /** Funds path: what the multisig address received, and the payout's transaction hashes (public data). */
    public static final String ESCROW_RECEIVED = "escrow.received";
    public static final String ESCROW_CONFIRMATIONS = "escrow.confirmations";
    public static final String ESCROW_FUNDING_STATE = "escrow.funding_state";
    public static final String PAYOUT_TX_HASHES = "escrow.payout.tx_hashes";
    public static final String PAYOUT_ATTEMPT = "escrow.payout.attempt";
    public static final String PAYOUT_FEE = "escrow.payout.fee";
    public static final String PAYOUT_AMOUNT = "escrow.payout.amount";
    public static final String LEASE_ID = "lease.id";
    public static final String LEASE_FENCING_TOKEN = "lease.fencing_token";
    public static final String LEASE_WAIT_MS = "lease.wait_ms";
    public static final String LEASE_OUTCOME = "lease.outcome";
    public static final String LEASE_ROLES = "lease.roles";
    public static final String WALLET_ID = "wallet.id";
    public static final String WALLET_PROCESS = "wallet.process";
    /** On a {@code wallet.file} span: create, open, store, close, park or quarantine. */
    public static final String WALLET_FILE_OPERATION = "wallet.file.operation";
    /** Permissions of the wallet's keys file after the operation, octal as ls shows them ({@code "600"}). */
    public static final String WALLET_FILE_PERMS = "wallet.file.perms";

    /**
     * SHA-256 (hex) of the multisig info a wallet produced in this call. The info itself is key
     * material and never leaves the gateway's memory; its hash is what makes a wrong exchange
     * (the skill's Pattern C) visible.
     */
    public static final String MULTISIG_INFO_SHA256 = "multisig.info_sha256";
    /** SHA-256 (hex) of each multisig info a wallet was given, in the order it was given. */
    public static final String MULTISIG_INPUT_SHA256 = "multisig.input_sha256";

    private EscrowAttributes() {
    }
}
