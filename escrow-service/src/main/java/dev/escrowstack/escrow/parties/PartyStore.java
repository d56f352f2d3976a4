package dev.escrowstack.escrow.parties;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;

import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PartyMessage;
import dev.escrowstack.escrow.persistence.PartyMessageRepository;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;

/**
 * The mailbox's records. A submission locks its escrow's row, so two parties completing a round at the
 * same instant are taken one after the other and exactly one of them completes it (and so starts the
 * arbiter's next step).
 */
@ApplicationScoped
public class PartyStore {

    /** What became of a submission. {@code completed}: the round this message completed (0: none). */
    public record Submitted(Outcome outcome, PartyMessage message, String storedSha256, int completed) {
    }

    public enum Outcome {
        NEW, SAME, DIFFERS
    }

    private final EscrowRepository escrows;
    private final PartyMessageRepository messages;

    public PartyStore(EscrowRepository escrows, PartyMessageRepository messages) {
        this.escrows = escrows;
        this.messages = messages;
    }

    /** The arbiter's wallet is prepared: the escrow waits for the parties, round 1 open. */
    @Transactional
    public Escrow awaitParties(String escrowId, Map<Role, String> tokenHashes, String gateway, String arbiterWalletId, String arbiterInfo,
            Duration roundTimeout) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        e.buyerTokenSha256 = tokenHashes.get(Role.buyer);
        e.vendorTokenSha256 = tokenHashes.get(Role.vendor);
        e.gateway = gateway;
        e.arbiterWalletId = arbiterWalletId;
        e.leaseId = null;
        e.leaseToken = null;
        e.status = EscrowStatus.AWAITING_PARTIES;
        open(e, 1, roundTimeout);
        persist(escrowId, Role.arbiter.name(), 1, arbiterInfo);
        return e;
    }

    /** A party's (or the arbiter's) message for {@code round}; the caller checked token and round. */
    @Transactional
    public Submitted submit(String escrowId, String role, int round, String info, Duration roundTimeout) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        if (e.status != EscrowStatus.AWAITING_PARTIES) {
            throw PartyProblems.ended(escrowId, e.status.name());
        }
        if (!open(escrowId, round)) {
            throw PartyProblems.roundNotOpen(escrowId, round, e.partyRound == null ? 1 : e.partyRound);
        }
        String sha256 = Hashes.sha256Hex(info);
        PartyMessage earlier = messages.findById(PartyMessage.idOf(escrowId, role, round));
        if (earlier != null) {
            if (earlier.sha256.equals(sha256)) {
                return new Submitted(Outcome.SAME, earlier, earlier.sha256, 0);
            }
            earlier.rejected++;
            return new Submitted(Outcome.DIFFERS, earlier, earlier.sha256, 0);
        }
        if (e.roundDeadline != null && Instant.now().isAfter(e.roundDeadline)) {
            throw PartyProblems.deadline(escrowId, e.roundDeadline);
        }
        PartyMessage m = persist(escrowId, role, round, info);
        int completed = 0;
        if (messages.ofRound(escrowId, round).size() == Role.ALL.size()) {
            completed = round;
            if (round < PartyMessage.ADDRESS_ROUND) {
                open(e, round + 1, roundTimeout);
            }
        }
        return new Submitted(Outcome.NEW, m, sha256, completed);
    }

    /** Round 1 is open from the start; round n once round n-1 has all three messages. */
    @Transactional
    boolean open(String escrowId, int round) {
        return round == 1 || messages.ofRound(escrowId, round - 1).size() == Role.ALL.size();
    }

    @Transactional
    public List<PartyMessage> round(String escrowId, int round) {
        return messages.ofRound(escrowId, round);
    }

    @Transactional
    public List<PartyMessage> all(String escrowId) {
        return messages.ofEscrow(escrowId);
    }

    @Transactional
    public Optional<Escrow> find(String escrowId) {
        return escrows.findByIdOptional(escrowId);
    }

    /** Who has not sent round {@code round} yet. */
    @Transactional
    public Set<String> waitingFor(String escrowId, int round) {
        Set<String> missing = new LinkedHashSet<>();
        Role.ALL.forEach(r -> missing.add(r.name()));
        messages.ofRound(escrowId, round).forEach(m -> missing.remove(m.role));
        return missing;
    }

    /** A new party token (the old one stops working). */
    @Transactional
    public void replaceToken(String escrowId, Role role, String tokenHash) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        if (role == Role.buyer) {
            e.buyerTokenSha256 = tokenHash;
        } else {
            e.vendorTokenSha256 = tokenHash;
        }
        e.updatedAt = Instant.now();
    }

    /** The setup ended (READY or FAILED): the infos are erased, their hashes stay. */
    @Transactional
    public void erase(String escrowId) {
        messages.erase(escrowId);
    }

    /**
     * FAILED with where and why, and the infos erased; false when the escrow had already ended (the deadline
     * and a failing step can race).
     */
    @Transactional
    public boolean failed(String escrowId, int round, String role, String operation, String error, String diagnosisJson) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        if (e.status != EscrowStatus.AWAITING_PARTIES && e.status != EscrowStatus.INITIALIZING) {
            return false;
        }
        e.status = EscrowStatus.FAILED;
        e.failureRound = round;
        e.failureRole = role;
        e.failureOperation = operation;
        e.failureError = error.length() > 2000 ? error.substring(0, 2000) : error;
        e.diagnosisJson = diagnosisJson;
        e.leaseId = null;
        e.leaseToken = null;
        e.roundDeadline = null;
        e.updatedAt = Instant.now();
        messages.erase(escrowId);
        return true;
    }

    /** READY: the three agree on {@code address}; the infos are erased. */
    @Transactional
    public void ready(String escrowId, String address, long durationMs) {
        Escrow e = escrows.findById(escrowId, LockModeType.PESSIMISTIC_WRITE);
        e.status = EscrowStatus.READY;
        e.multisigAddress = address;
        e.setupDurationMs = durationMs;
        e.roundDeadline = null;
        e.updatedAt = Instant.now();
        messages.erase(escrowId);
    }

    /** Escrows whose current round's deadline has passed. */
    @Transactional
    public List<Escrow> overdue(Instant now) {
        return escrows.list("status = ?1 and roundDeadline < ?2", EscrowStatus.AWAITING_PARTIES, now);
    }

    /** Escrows waiting for the arbiter's next step (after a restart: the step that was running is redone). */
    @Transactional
    public List<Escrow> awaiting() {
        return escrows.list("status", EscrowStatus.AWAITING_PARTIES);
    }

    private static void open(Escrow e, int round, Duration timeout) {
        e.partyRound = round;
        e.roundOpenedAt = Instant.now();
        e.roundDeadline = e.roundOpenedAt.plus(timeout);
        e.updatedAt = e.roundOpenedAt;
    }

    private PartyMessage persist(String escrowId, String role, int round, String info) {
        PartyMessage m = new PartyMessage();
        m.id = PartyMessage.idOf(escrowId, role, round);
        m.escrowId = escrowId;
        m.role = role;
        m.round = round;
        m.info = info;
        m.sha256 = Hashes.sha256Hex(info);
        m.size = info.length();
        m.receivedAt = Instant.now();
        messages.persist(m);
        return m;
    }
}
