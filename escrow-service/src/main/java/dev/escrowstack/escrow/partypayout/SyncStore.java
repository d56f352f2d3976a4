package dev.escrowstack.escrow.partypayout;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.PartySync;
import dev.escrowstack.escrow.persistence.PartySyncRepository;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;

/**
 * The sync epochs' records: which epoch is current, each participant's export for it (the first counts) and
 * what each reported imported. Every change takes the escrow's row lock, so an epoch opening and a party's
 * export cannot cross.
 */
@ApplicationScoped
public class SyncStore {

    public enum Outcome {
        NEW, SAME, DIFFERS
    }

    public record Stored(Outcome outcome, String storedSha256) {
    }

    private final EscrowRepository escrows;
    private final PartySyncRepository syncs;

    public SyncStore(EscrowRepository escrows, PartySyncRepository syncs) {
        this.escrows = escrows;
        this.syncs = syncs;
    }

    @Transactional
    public Optional<Escrow> find(String escrowId) {
        return escrows.findByIdOptional(escrowId);
    }

    /**
     * Epoch {@code epoch} with the arbiter's export, if the escrow is still at {@code expected} (null: none yet).
     * False when another request opened one first: its epoch counts.
     */
    @Transactional
    public boolean open(String escrowId, Integer expected, int epoch, String arbiterInfo) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        if (!Objects.equals(e.syncEpoch, expected)) {
            return false;
        }
        e.syncEpoch = epoch;
        e.updatedAt = Instant.now();
        persist(escrowId, epoch, Role.arbiter.name(), arbiterInfo);
        return true;
    }

    /** A participant's export for the current epoch; {@code null} when {@code epoch} is not the current one. */
    @Transactional
    public Stored submit(String escrowId, int epoch, String role, String info) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        if (e.syncEpoch == null || e.syncEpoch != epoch) {
            return null;
        }
        PartySync existing = syncs.findById(PartySync.idOf(escrowId, epoch, role));
        if (existing == null) {
            persist(escrowId, epoch, role, info);
            return new Stored(Outcome.NEW, Hashes.sha256Hex(info));
        }
        if (existing.sha256.equals(Hashes.sha256Hex(info))) {
            return new Stored(Outcome.SAME, existing.sha256);
        }
        existing.rejected++;
        return new Stored(Outcome.DIFFERS, existing.sha256);
    }

    @Transactional
    public List<PartySync> epoch(String escrowId, int epoch) {
        return syncs.ofEpoch(escrowId, epoch);
    }

    /** What {@code role} says it imported of the epoch; false when it has not exported for it (its info comes first). */
    @Transactional
    public boolean imported(String escrowId, int epoch, String role, List<String> from, Integer nOutputs) {
        PartySync own = syncs.findById(PartySync.idOf(escrowId, epoch, role));
        if (own == null) {
            return false;
        }
        own.importedFrom = String.join(",", from.stream().sorted().toList());
        own.importedAt = Instant.now();
        own.nOutputs = nOutputs;
        return true;
    }

    /** The payout ended: the infos go, their hashes stay. */
    @Transactional
    public void erase(String escrowId) {
        syncs.erase(escrowId);
    }

    private void persist(String escrowId, int epoch, String role, String info) {
        PartySync s = new PartySync();
        s.id = PartySync.idOf(escrowId, epoch, role);
        s.escrowId = escrowId;
        s.epoch = epoch;
        s.role = role;
        s.info = info;
        s.sha256 = Hashes.sha256Hex(info);
        s.size = info.length();
        s.receivedAt = Instant.now();
        syncs.persist(s);
    }
}
