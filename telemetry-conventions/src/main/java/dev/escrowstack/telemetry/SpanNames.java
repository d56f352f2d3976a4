package dev.escrowstack.telemetry;

/** Span names, so Jaeger searches and the exporter's routing agree. */
public final class SpanNames {

    public static final String LEASE_ACQUIRE = "lease.acquire";
    public static final String LEASE_RELEASE = "lease.release";
    public static final String LEASE_EXPIRE = "lease.expire";
    public static final String PROCESS_RESTART = "wallet-process.restart";
    /** One wallet file operation of the gateway; wallet.file.operation says which. Its wallet RPC calls are its children. */
    public static final String WALLET_FILE = "wallet.file";
    /** One per escrow init, carrying escrow.id, the parties and the amount. */
    public static final String ESCROW_INIT = "escrow.init";
    /** One per multisig round of a setup (escrow.round = 1, 2, 3) and one for the final check (4). */
    public static final String ESCROW_ROUND = "escrow.round";
    /** One per funding check (watcher or GET /funding); escrow.status is set when it moved the escrow to FUNDED. */
    public static final String ESCROW_FUNDING = "escrow.funding";
    /** One per payout run: escrow.operation is the payout kind, escrow.status the state it ended in. */
    public static final String ESCROW_PAYOUT = "escrow.payout";
    /** A party raised a dispute. */
    public static final String ESCROW_DISPUTE = "escrow.dispute";
    /** Custody PARTIES: a participant's message to the setup's mailbox (hash and size only, never the info). */
    public static final String ESCROW_PARTY_MESSAGE = "escrow.party.message";
    /** Custody PARTIES: the setup's end, READY or FAILED (escrow.status; on failure escrow.round/role/operation). */
    public static final String ESCROW_PARTIES_OUTCOME = "escrow.parties.outcome";
    /**
     * Custody PARTIES, funds (docs/funds.md): one step of a payout made by the parties, escrow.party.payout.step says
     * which — a sync epoch opened, a participant's export or import, a party refused as stale, a transaction set
     * accepted or refused, a signature awaited or overdue, a submitted transaction seen. Hashes only, never an info.
     */
    public static final String ESCROW_PARTY_PAYOUT = "escrow.party.payout";
    /**
     * Custodial setup: one attempt given up after a fault whose outcome is unknown (escrow.attempt, escrow.fault,
     * where it happened, the attempt's wallets); the setup starts over on three new wallets.
     */
    public static final String ESCROW_ATTEMPT_ABANDONED = "escrow.attempt.abandoned";

    private static final String WALLET_RPC_PREFIX = "monero-wallet-rpc/";

    private SpanNames() {
    }

    /** Name of the CLIENT span of one wallet RPC call, e.g. {@code monero-wallet-rpc/make_multisig}. */
    public static String walletRpc(String method) {
        return WALLET_RPC_PREFIX + method;
    }

    public static boolean isWalletRpc(String spanName) {
        return spanName != null && spanName.startsWith(WALLET_RPC_PREFIX);
    }
}
