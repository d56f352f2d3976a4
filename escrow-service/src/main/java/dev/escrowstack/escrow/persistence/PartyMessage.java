package dev.escrowstack.escrow.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One participant's message of a non-custodial setup: its multisig info for a round (1-3), or the
 * address it computed (round {@link #ADDRESS_ROUND}). {@code info} is key material, erased when the
 * setup ends; the hash stays.
 */
@Entity
@Table(name = "party_message")
public class PartyMessage {

    public static final int ADDRESS_ROUND = 4;

    @Id
    @Column(length = 80)
    public String id;

    @Column(name = "escrow_id", nullable = false, length = 40)
    public String escrowId;

    @Column(nullable = false, length = 16)
    public String role;

    @Column(nullable = false)
    public int round;

    @Column(length = 16000)
    public String info;

    @Column(nullable = false, length = 64)
    public String sha256;

    @Column(nullable = false)
    public int size;

    @Column(name = "received_at", nullable = false)
    public Instant receivedAt;

    /** Different infos this participant tried to send for the round after this one (refused with 409). */
    @Column(nullable = false)
    public int rejected;

    public static String idOf(String escrowId, String role, int round) {
        return escrowId + "/" + role + "/" + round;
    }
}
