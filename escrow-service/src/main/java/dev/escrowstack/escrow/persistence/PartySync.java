package dev.escrowstack.escrow.persistence;

import java.time.Instant;
import java.util.List;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One participant's multisig info for a payout's sync epoch ({@code export_multisig_info}), and which of the
 * others' infos it reported imported. {@code info} is key material, erased when the payout ends; the hash stays.
 */
@Entity
@Table(name = "party_sync")
public class PartySync {

    @Id
    @Column(length = 80)
    public String id;

    @Column(name = "escrow_id", nullable = false, length = 40)
    public String escrowId;

    @Column(nullable = false)
    public int epoch;

    @Column(nullable = false, length = 16)
    public String role;

    @Column(length = 1000000)
    public String info;

    @Column(nullable = false, length = 64)
    public String sha256;

    @Column(nullable = false)
    public int size;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** The roles whose infos of this epoch the participant imported, "arbiter,vendor"; null: not yet. */
    @Column(name = "imported_from", length = 40)
    public String importedFrom;

    @Column(name = "imported_at")
    public Instant importedAt;

    @Column(name = "n_outputs")
    public Integer nOutputs;

    /** Different infos this participant tried to send for the epoch after this one (refused with 409). */
    @Column(nullable = false)
    public int rejected;

    public static String idOf(String escrowId, int epoch, String role) {
        return escrowId + "/" + epoch + "/" + role;
    }

    public List<String> imported() {
        return importedFrom == null || importedFrom.isEmpty() ? List.of() : List.of(importedFrom.split(","));
    }
}
