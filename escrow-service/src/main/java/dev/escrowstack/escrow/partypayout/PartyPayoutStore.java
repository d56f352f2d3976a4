package dev.escrowstack.escrow.partypayout;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PayoutKind;

/**
 * A non-custodial payout's state changes. As in the custodial path, one guarded UPDATE admits a payout
 * ({@link #proposed}): of any number of transaction sets handed in at once, one moves the escrow to
 * PAYOUT_PENDING; the others find zero rows changed.
 */
@ApplicationScoped
public class PartyPayoutStore {

    /** The transaction set accepted for the signer, and what the arbiter's wallet read in it. */
    public record Proposal(PayoutKind kind, String address, String txset, String txsetSha256, int epoch, String signer, Instant deadline,
            long amount, long fee, String changedBy) {
    }

    private final EscrowRepository escrows;

    public PartyPayoutStore(EscrowRepository escrows) {
        this.escrows = escrows;
    }

    @Transactional
    public Escrow find(String id) {
        return escrows.findById(id);
    }

    @Transactional
    public boolean proposed(String id, Proposal p) {
        Instant now = Instant.now();
        return escrows.update("status = ?1, payoutKind = ?2, payoutFromStatus = ?3, payoutAddress = ?4, payoutStartedAt = ?5,"
                + " payoutSubmitting = false, payoutAttempts = 1, payoutError = null, payoutTxHashes = null, payoutTxset = ?6,"
                + " payoutTxsetSha256 = ?7, payoutEpoch = ?8, payoutSigner = ?9, payoutDeadline = ?10, payoutOverdueAt = null,"
                + " payoutAmount = ?11, payoutFee = ?12, resolveWinner = null, resolveEpoch = null, updatedAt = ?5, changedBy = ?13,"
                + " version = version + 1 where id = ?14 and status = ?3", EscrowStatus.PAYOUT_PENDING, p.kind(), p.kind().from,
                p.address(), now, p.txset(), p.txsetSha256(), p.epoch(), p.signer(), p.deadline(), p.amount(), p.fee(), p.changedBy(),
                id) == 1;
    }

    /** The signer says it submitted {@code txHashes}: from here on the payout is looked for on the chain, never withdrawn. */
    @Transactional
    public Escrow submitted(String id, List<String> txHashes) {
        Escrow e = escrows.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (e.status == EscrowStatus.PAYOUT_PENDING && !Boolean.TRUE.equals(e.payoutSubmitting)) {
            e.payoutSubmitting = true;
            e.payoutTxHashes = String.join(",", txHashes);
            e.updatedAt = Instant.now();
        }
        return e;
    }

    /** Seen by the arbiter's wallet: RELEASED, REFUNDED or RESOLVED, once; the tx set is dropped. */
    @Transactional
    public Escrow paid(String id, List<String> txHashes, long amount, long fee) {
        Escrow e = escrows.findById(id, LockModeType.PESSIMISTIC_WRITE);
        e.paidOut(txHashes, amount, fee);
        return e;
    }

    /**
     * The arbiter re-issues a resolution nobody signed: back to DISPUTED, the tx set dropped. False once the signer
     * reported a submit (the transaction may be on the chain) or the escrow moved on.
     */
    @Transactional
    public boolean withdrawn(String id, String why) {
        Escrow e = escrows.findById(id, LockModeType.PESSIMISTIC_WRITE);
        if (e.status != EscrowStatus.PAYOUT_PENDING || Boolean.TRUE.equals(e.payoutSubmitting) || e.payoutKind.from != EscrowStatus.DISPUTED) {
            return false;
        }
        e.status = EscrowStatus.DISPUTED;
        e.payoutError = why;
        e.payoutTxset = null;
        e.payoutSigner = null;
        e.payoutDeadline = null;
        e.updatedAt = Instant.now();
        return true;
    }

    /** The arbiter's ruling, waiting for the winner's export of {@code epoch}. */
    @Transactional
    public void ruling(String id, String winner, int epoch, String changedBy) {
        Escrow e = escrows.findById(id, LockModeType.PESSIMISTIC_WRITE);
        e.resolveWinner = winner;
        e.resolveEpoch = epoch;
        e.changedBy = changedBy;
        e.updatedAt = Instant.now();
    }

    /** The signer's deadline passed: true the first time, so it is said once. */
    @Transactional
    public boolean overdue(String id) {
        return escrows.update("payoutOverdueAt = ?1 where id = ?2 and status = ?3 and payoutOverdueAt is null and payoutSubmitting = false",
                Instant.now(), id, EscrowStatus.PAYOUT_PENDING) == 1;
    }

    /** Non-custodial payouts under way, and rulings waiting for a winner. */
    @Transactional
    public List<Escrow> open() {
        return escrows.list("custody = ?1 and (status = ?2 or (status = ?3 and resolveWinner is not null))", Custody.PARTIES,
                EscrowStatus.PAYOUT_PENDING, EscrowStatus.DISPUTED);
    }
}
