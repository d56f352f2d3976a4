package dev.escrowstack.escrow.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class PartySyncRepository implements PanacheRepositoryBase<PartySync, String> {

    public List<PartySync> ofEpoch(String escrowId, int epoch) {
        return list("escrowId = ?1 and epoch = ?2 order by role", escrowId, epoch);
    }

    /** The end of a payout: the infos go, their hashes stay. */
    public int erase(String escrowId) {
        return update("info = null where escrowId = ?1", escrowId);
    }
}
