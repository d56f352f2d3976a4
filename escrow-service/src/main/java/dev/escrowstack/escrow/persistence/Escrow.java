package dev.escrowstack.escrow.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

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

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "setup_duration_ms")
    public Long setupDurationMs;

    @Version
    public long version;
}
