package dev.escrowstack.escrow.persistence;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class PartyMessageRepository implements PanacheRepositoryBase<PartyMessage, String> {

    public List<PartyMessage> ofEscrow(String escrowId) {
        return list("escrowId = ?1 order by round, role", escrowId);
    }

    public List<PartyMessage> ofRound(String escrowId, int round) {
        return list("escrowId = ?1 and round = ?2", escrowId, round);
    }

    /** The end of a setup: the infos go, their hashes stay. */
    public int erase(String escrowId) {
        return update("info = null where escrowId = ?1 and round < ?2", escrowId, PartyMessage.ADDRESS_ROUND);
    }
}
