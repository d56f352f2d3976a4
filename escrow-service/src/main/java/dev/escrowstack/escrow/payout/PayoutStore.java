package dev.escrowstack.escrow.payout;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.security.Caller;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PayoutKind;

/**
 * The payout's state changes. The one that matters is {@link #start}: a single UPDATE guarded by the
 * current status, so of any number of concurrent release, refund or resolve requests — on one instance
 * or several — exactly one moves the escrow to PAYOUT_PENDING and the rest see zero rows changed.
 */
@ApplicationScoped
public class PayoutStore {

    private final EscrowRepository repository;
    private final Caller caller;

    public PayoutStore(EscrowRepository repository, Caller caller) {
        this.repository = repository;
        this.caller = caller;
    }

    @Transactional
    public Optional<Escrow> find(String id) {
        return repository.findByIdOptional(id);
    }

    @Transactional
    public boolean start(String id, PayoutKind kind, String address, String owner) {
        Instant now = Instant.now();
        return repository.update("status = ?1, payoutKind = ?2, payoutFromStatus = ?3, payoutAddress = ?4, payoutStartedAt = ?5,"
                + " payoutSubmitting = false, payoutAttempts = 0, payoutError = null, owner = ?6, updatedAt = ?5, changedBy = ?8,"
                + " version = version + 1 where id = ?7 and status = ?3", EscrowStatus.PAYOUT_PENDING, kind, kind.from, address, now,
                owner, id, caller.subject()) == 1;
    }

    @Transactional
    public void attempt(String id) {
        repository.update("payoutAttempts = payoutAttempts + 1, updatedAt = ?1 where id = ?2", Instant.now(), id);
    }

    /** From here on the payout may be on the chain: it can only be confirmed or reconciled, never given back blindly. */
    @Transactional
    public void submitting(String id) {
        repository.update("payoutSubmitting = true, updatedAt = ?1 where id = ?2", Instant.now(), id);
    }

    @Transactional
    public Escrow paid(String id, List<String> txHashes, long amount, long fee) {
        Escrow e = repository.findById(id);
        e.paidOut(txHashes, amount, fee);
        return e;
    }

    /** Nothing was submitted: the escrow goes back to where it was, so the payout can be asked for again. */
    @Transactional
    public Escrow givenBack(String id, String error) {
        Escrow e = repository.findById(id);
        if (e.status == EscrowStatus.PAYOUT_PENDING) {
            e.status = e.payoutFromStatus;
            e.payoutError = truncate(error);
            e.payoutKind = null;
            e.payoutAddress = null;
            e.payoutSubmitting = false;
            e.updatedAt = Instant.now();
        }
        return e;
    }

    /** The outcome is unknown (the gateway did not answer): stays pending; the recovery reconciles it. */
    @Transactional
    public Escrow unresolved(String id, String error) {
        Escrow e = repository.findById(id);
        e.payoutError = truncate(error);
        e.updatedAt = Instant.now();
        return e;
    }

    @Transactional
    public boolean dispute(String id, String raisedBy, String reason) {
        return repository.update("status = ?1, disputeRaisedBy = ?2, disputeReason = ?3, updatedAt = ?4, changedBy = ?7,"
                + " version = version + 1 where id = ?5 and status = ?6", EscrowStatus.DISPUTED, raisedBy, reason, Instant.now(), id,
                EscrowStatus.FUNDED, caller.subject()) == 1;
    }

    /** Sets the addresses not set yet; an address once given is never replaced (money may already be on its way). */
    @Transactional
    public Escrow addresses(String id, String buyer, String vendor) {
        Escrow e = repository.findById(id);
        if (buyer != null && e.buyerPayoutAddress == null) {
            e.buyerPayoutAddress = buyer;
        }
        if (vendor != null && e.vendorPayoutAddress == null) {
            e.vendorPayoutAddress = vendor;
        }
        e.changedBy = caller.subject();
        e.updatedAt = Instant.now();
        return e;
    }

    /** Payouts to look after: this instance's that nobody here runs, and anyone's untouched for longer than a payout lasts. */
    @Transactional
    public List<Escrow> pending(String owner, Instant staleBefore) {
        // Custodial ones only: a non-custodial payout is signed by a party, and partypayout/ looks after it.
        return repository.list("status = ?1 and (owner = ?2 or updatedAt < ?3) and custody = ?4 order by updatedAt",
                EscrowStatus.PAYOUT_PENDING, owner, staleBefore, Custody.SERVICE);
    }

    /** Takes over a stale payout of another instance, guarded so two instances do not both take it. */
    @Transactional
    public boolean adopt(Escrow e, String owner) {
        return e.owner != null && e.owner.equals(owner) || repository.update("owner = ?1, updatedAt = ?2, version = version + 1"
                + " where id = ?3 and version = ?4 and status = ?5", owner, Instant.now(), e.id, e.version, EscrowStatus.PAYOUT_PENDING) == 1;
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 2000 ? s : s.substring(0, 1999) + "…";
    }
}
