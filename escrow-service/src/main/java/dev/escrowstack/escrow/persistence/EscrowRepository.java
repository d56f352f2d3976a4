package dev.escrowstack.escrow.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Sort;

@ApplicationScoped
public class EscrowRepository implements PanacheRepositoryBase<Escrow, String> {

    public Optional<Escrow> byIdempotencyKey(String key) {
        return find("idempotencyKey", key).firstResultOptional();
    }

    public List<Escrow> page(EscrowStatus status, int page, int size) {
        Sort newestFirst = Sort.descending("createdAt").and("id");
        return (status == null ? findAll(newestFirst) : find("status", newestFirst, status)).page(Page.of(page, size)).list();
    }

    public long count(EscrowStatus status) {
        return status == null ? count() : count("status", status);
    }

    /** At start: setups this instance was running when it died. */
    public List<Escrow> initializingOwnedBy(String owner) {
        return list("status = ?1 and owner = ?2", EscrowStatus.INITIALIZING, owner);
    }

    /** Setups nobody can still be running: older than the longest a setup may take. */
    public List<Escrow> initializingSince(Instant olderThan) {
        return list("status = ?1 and updatedAt < ?2", EscrowStatus.INITIALIZING, olderThan);
    }

    /**
     * Where a wallet handed out again came from (Pattern A): the latest escrow created before this one that had
     * {@code walletId} and did not fail — the setup that left it multisig; escrows handed the same polluted
     * wallet at the same time all fail with it and are not its source — else the latest one before it.
     */
    public Optional<Escrow> previousHolder(String escrowId, String walletId) {
        Escrow self = findById(escrowId);
        return find("id <> ?1 and createdAt <= ?3 and (buyerWalletId = ?2 or vendorWalletId = ?2 or arbiterWalletId = ?2)"
                + " order by case when status = ?4 then 1 else 0 end, createdAt desc", escrowId, walletId, self.createdAt, EscrowStatus.FAILED)
                .firstResultOptional();
    }
}
