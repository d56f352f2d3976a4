package dev.escrowstack.escrow.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.escrowstack.telemetry.Role;

/** One escrow: parties, amount, state, the multisig address and the gateway wallet of each role. */
@Entity
@Table(name = "escrow")
public class Escrow {

    @Id
    @Column(length = 40)
    public String id;

    @Column(name = "buyer_id", nullable = false, length = 64)
    public String buyerId;

    @Column(name = "vendor_id", nullable = false, length = 64)
    public String vendorId;

    @Column(nullable = false)
    public long amount;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 20)
    public EscrowStatus status;

    @Column(name = "multisig_address", length = 128)
    public String multisigAddress;

    @Column(name = "buyer_wallet_id", length = 64)
    public String buyerWalletId;

    @Column(name = "vendor_wallet_id", length = 64)
    public String vendorWalletId;

    @Column(name = "arbiter_wallet_id", length = 64)
    public String arbiterWalletId;

    /** The wallet-gateway pod (host:port) holding the three wallets; null before routing existed (the first pod). */
    @Column(name = "gateway", length = 255)
    public String gateway;

    /** The gateway lease held during setup, so a restart can release it. */
    @Column(name = "lease_id", length = 64)
    public String leaseId;

    @Column(name = "lease_token")
    public Long leaseToken;

    /** The escrow-service instance running the setup (see EscrowConfig.instanceId). */
    @Column(name = "owner", length = 128)
    public String owner;

    @Column(name = "idempotency_key", length = 255, unique = true)
    public String idempotencyKey;

    /** SHA-256 of the request body an idempotency key was first used with. */
    @Column(name = "request_hash", length = 64)
    public String requestHash;

    @Column(name = "failure_round")
    public Integer failureRound;

    @Column(name = "failure_role", length = 16)
    public String failureRole;

    @Column(name = "failure_operation", length = 64)
    public String failureOperation;

    @Column(name = "failure_code")
    public Integer failureCode;

    @Column(name = "failure_error", length = 2000)
    public String failureError;

    /** The analyzer's diagnosis of a failed setup (surfaced + root cause), JSON; null for other failures. */
    @Column(name = "diagnosis_json", length = 16000)
    public String diagnosisJson;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "setup_duration_ms")
    public Long setupDurationMs;

    /** Setup attempts so far (V7): more than one when an attempt was abandoned after a fault and started over. */
    @Column(name = "attempts", nullable = false)
    public int attempts = 1;

    /** The abandoned attempts ({@code AbandonedAttempt}), a JSON array; null when none was. */
    @Column(name = "abandoned_json", length = 8000)
    public String abandonedJson;

    // The funds path (V2).

    /** Where a refund or a dispute won by the buyer pays; validated for the configured network. */
    @Column(name = "buyer_payout_address", length = 128)
    public String buyerPayoutAddress;

    @Column(name = "vendor_payout_address", length = 128)
    public String vendorPayoutAddress;

    /** Last funding observation: everything received, what is spendable, the fewest confirmations among them. */
    @Column(name = "received")
    public Long received;

    @Column(name = "unlocked")
    public Long unlocked;

    @Column(name = "confirmations")
    public Long confirmations;

    @Column(name = "funding_checked_at")
    public Instant fundingCheckedAt;

    /** When the funding watcher looks next (backs off as an unfunded escrow ages). */
    @Column(name = "next_funding_check_at")
    public Instant nextFundingCheckAt;

    @Column(name = "funded_at")
    public Instant fundedAt;

    @Column(name = "dispute_raised_by", length = 16)
    public String disputeRaisedBy;

    @Column(name = "dispute_reason", length = 500)
    public String disputeReason;

    /** Set, with payout_from_status, by the one transition that wins the right to pay out. */
    @Enumerated(EnumType.STRING)
    @Column(name = "payout_kind", length = 16)
    public PayoutKind payoutKind;

    @Enumerated(EnumType.STRING)
    @Column(name = "payout_from_status", length = 20)
    public EscrowStatus payoutFromStatus;

    @Column(name = "payout_address", length = 128)
    public String payoutAddress;

    @Column(name = "payout_started_at")
    public Instant payoutStartedAt;

    /** A submit was sent: the payout may be on the chain, so it is never rolled back, only reconciled. */
    @Column(name = "payout_submitting")
    public Boolean payoutSubmitting;

    @Column(name = "payout_attempts")
    public Integer payoutAttempts;

    /** Comma-separated transaction hashes of the payout (one, unless the wallet had to split it). */
    @Column(name = "payout_tx_hashes", length = 1000)
    public String payoutTxHashes;

    @Column(name = "payout_amount")
    public Long payoutAmount;

    @Column(name = "payout_fee")
    public Long payoutFee;

    @Column(name = "payout_error", length = 2000)
    public String payoutError;

    @Column(name = "paid_at")
    public Instant paidAt;

    /** Who holds the wallets: the service (all three) or the parties (buyer and vendor their own). */
    @Enumerated(EnumType.STRING)
    @Column(nullable = false, length = 16)
    public Custody custody = Custody.SERVICE;

    /** Custody PARTIES: SHA-256 of each party's token (the token is shown once, at init). */
    @Column(name = "buyer_token_sha256", length = 64)
    public String buyerTokenSha256;

    @Column(name = "vendor_token_sha256", length = 64)
    public String vendorTokenSha256;

    /** Custody PARTIES: the round whose messages are being collected (1-3 infos, 4 addresses), and its deadline. */
    @Column(name = "party_round")
    public Integer partyRound;

    @Column(name = "round_opened_at")
    public Instant roundOpenedAt;

    @Column(name = "round_deadline")
    public Instant roundDeadline;

    /** The subject of whoever asked for the last caller-made change (security.Caller). */
    /** Custody PARTIES, funds: the sync epoch whose multisig infos are being exchanged (docs/funds.md). */
    @Column(name = "sync_epoch")
    public Integer syncEpoch;

    /** The transaction set awaiting its second signature, its hash and epoch, whose signature, until when. */
    @Column(name = "payout_txset", length = 1000000)
    public String payoutTxset;

    @Column(name = "payout_txset_sha256", length = 64)
    public String payoutTxsetSha256;

    @Column(name = "payout_epoch")
    public Integer payoutEpoch;

    @Column(name = "payout_signer", length = 16)
    public String payoutSigner;

    @Column(name = "payout_deadline")
    public Instant payoutDeadline;

    /** When the signer's deadline was found passed (and said so, once). */
    @Column(name = "payout_overdue_at")
    public Instant payoutOverdueAt;

    /** An arbiter's ruling waiting for the winner's export of resolve_epoch. */
    @Column(name = "resolve_winner", length = 16)
    public String resolveWinner;

    @Column(name = "resolve_epoch")
    public Integer resolveEpoch;

    @Column(name = "changed_by")
    public String changedBy;

    @Version
    public long version;

    /** The gateway wallet id of {@code role}. */
    public String walletIdOf(Role role) {
        return switch (role) {
            case buyer -> buyerWalletId;
            case vendor -> vendorWalletId;
            case arbiter -> arbiterWalletId;
        };
    }

    /** Records the gateway wallet of each role (a setup's three). */
    public void useWallets(Map<Role, String> walletIds) {
        buyerWalletId = walletIds.get(Role.buyer);
        vendorWalletId = walletIds.get(Role.vendor);
        arbiterWalletId = walletIds.get(Role.arbiter);
    }

    /**
     * The payout seen done, by whichever custody paid it: the payout kind's end state with its transactions, once;
     * a payout that is no longer pending is left as it is. The transaction set a party would have signed is dropped.
     */
    public void paidOut(List<String> txHashes, long amount, long fee) {
        if (status != EscrowStatus.PAYOUT_PENDING) {
            return;
        }
        status = payoutKind.to;
        payoutTxHashes = String.join(",", txHashes);
        payoutAmount = amount;
        payoutFee = fee;
        payoutError = null;
        payoutTxset = null;
        paidAt = Instant.now();
        updatedAt = paidAt;
    }
}
