package dev.escrowstack.escrow.funds;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;

/** Funding observations and the READY → FUNDED transition, each its own short transaction. */
@ApplicationScoped
public class FundingStore {

    private final EscrowRepository repository;

    public FundingStore(EscrowRepository repository) {
        this.repository = repository;
    }

    /**
     * Records what a check saw and, when the escrow is funded, moves it from READY to FUNDED — guarded by
     * the status, so of two checks at once only one makes the transition. Returns whether this one did.
     */
    @Transactional
    public boolean observed(String id, FundingStatus.Observation seen, boolean funded, Instant nextCheck) {
        Instant now = Instant.now();
        repository.update("received = ?1, unlocked = ?2, confirmations = ?3, fundingCheckedAt = ?4, nextFundingCheckAt = ?5"
                + " where id = ?6", seen.received(), seen.unlocked(), seen.confirmations(), now, nextCheck, id);
        if (!funded) {
            return false;
        }
        return repository.update("status = ?1, fundedAt = ?2, updatedAt = ?2, version = version + 1 where id = ?3 and status = ?4",
                EscrowStatus.FUNDED, now, id, EscrowStatus.READY) == 1;
    }

    /** READY escrows whose next check is due, oldest first. */
    @Transactional
    public List<Escrow> due(Instant now, int limit) {
        return repository.find("status = ?1 and (nextFundingCheckAt is null or nextFundingCheckAt <= ?2) order by createdAt",
                EscrowStatus.READY, now).page(0, limit).list();
    }

    /**
     * Claims a due check by pushing its next time out first, so another instance's watcher skips it and a
     * check that fails is not retried at once. False when someone else claimed it.
     */
    @Transactional
    public boolean claim(Escrow escrow, Instant now, Duration backoff) {
        return repository.update("nextFundingCheckAt = ?1 where id = ?2 and status = ?3 and (nextFundingCheckAt is null"
                + " or nextFundingCheckAt <= ?4)", now.plus(backoff), escrow.id, EscrowStatus.READY, now) == 1;
    }
}
