package dev.escrowstack.escrow.service;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.security.Caller;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.setup.MultisigSetup;

/**
 * Every state change of an escrow, each its own short transaction: nothing is held open across
 * the seconds a setup takes, and each step is on disk before the next begins.
 */
@ApplicationScoped
public class EscrowStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EscrowRepository repository;
    private final Caller caller;

    public EscrowStore(EscrowRepository repository, Caller caller) {
        this.repository = repository;
        this.caller = caller;
    }

    /** Escrow ids name files ({@code escrow_<id>.json}): only [a-z0-9-]. */
    static String newId() {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return "esc-" + HexFormat.of().formatHex(b);
    }

    @Transactional
    public Escrow create(NewEscrow request, String idempotencyKey, String requestHash, String owner) {
        Escrow e = new Escrow();
        e.id = newId();
        e.buyerId = request.buyerId();
        e.vendorId = request.vendorId();
        e.amount = request.amount();
        e.buyerPayoutAddress = request.buyerPayoutAddress();
        e.vendorPayoutAddress = request.vendorPayoutAddress();
        e.status = EscrowStatus.INITIALIZING;
        e.custody = request.custody();
        e.idempotencyKey = idempotencyKey;
        e.requestHash = requestHash;
        e.owner = owner;
        e.changedBy = caller.subject();
        e.createdAt = Instant.now();
        e.updatedAt = e.createdAt;
        repository.persistAndFlush(e);
        return e;
    }

    @Transactional
    public Escrow leased(String id, Lease lease) {
        Escrow e = repository.findById(id);
        e.gateway = lease.gateway();
        e.leaseId = lease.leaseId();
        e.leaseToken = lease.fencingToken();
        // Recorded now, not only at READY: a FAILED escrow then names the wallets its setup touched,
        // which is where an operator looks first.
        e.useWallets(lease.walletIds());
        e.updatedAt = Instant.now();
        return e;
    }

    /**
     * An attempt given up after a fault whose outcome is unknown: it joins the escrow's abandoned attempts and
     * the next one starts (its lease recorded by {@link #leased} as before).
     */
    @Transactional
    public Escrow abandoned(String id, AbandonedAttempt a) {
        Escrow e = repository.findById(id);
        List<Map<String, Object>> all = abandonedOf(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attempt", a.attempt());
        m.put("fault", a.fault());
        m.put("round", a.round());
        m.put("role", a.role());
        m.put("operation", a.operation());
        m.put("wallet_id", a.walletId());
        m.put("wallets", a.wallets());
        m.put("reason", truncate(a.reason(), 500));
        m.put("at", a.at().toString());
        all.add(m);
        try {
            e.abandonedJson = JSON.writeValueAsString(all);
        } catch (JsonProcessingException impossible) {
            throw new IllegalStateException(impossible);
        }
        e.attempts = a.attempt() + 1;
        e.leaseId = null;
        e.leaseToken = null;
        e.updatedAt = Instant.now();
        return e;
    }

    /** The escrow's abandoned attempts, oldest first, as {@link #abandoned} wrote them. */
    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> abandonedOf(Escrow e) {
        if (e.abandonedJson == null) {
            return new ArrayList<>();
        }
        try {
            return new ArrayList<>(JSON.readValue(e.abandonedJson, List.class));
        } catch (JsonProcessingException unreadable) {
            return new ArrayList<>(); // only a hand-edited row gets here
        }
    }

    @Transactional
    public Escrow ready(String id, MultisigSetup.Result result, long durationMs) {
        Escrow e = repository.findById(id);
        e.status = EscrowStatus.READY;
        e.multisigAddress = result.address();
        e.useWallets(result.walletIds());
        e.setupDurationMs = durationMs;
        e.leaseId = null;
        e.leaseToken = null;
        e.updatedAt = Instant.now();
        return e;
    }

    /**
     * FAILED with where and why. {@code retryable}: the failure was capacity (no wallets free), so the
     * idempotency key is let go and a retry with it starts afresh instead of replaying the failure.
     */
    @Transactional
    public Escrow failed(String id, Failure failure, boolean retryable) {
        Escrow e = repository.findById(id);
        if (e.status != EscrowStatus.INITIALIZING) {
            return e;
        }
        e.status = EscrowStatus.FAILED;
        e.failureRound = failure.round();
        e.failureRole = failure.role();
        e.failureOperation = failure.operation();
        e.failureCode = failure.walletErrorCode();
        e.failureError = truncate(failure.error(), 2000);
        e.diagnosisJson = failure.diagnosisJson();
        e.leaseId = null;
        e.leaseToken = null;
        if (retryable) {
            e.idempotencyKey = null;
        }
        e.updatedAt = Instant.now();
        return e;
    }

    @Transactional
    public Optional<Escrow> find(String id) {
        return repository.findByIdOptional(id);
    }

    /** One page of escrows, newest first; every state when {@code status} is null. */
    @Transactional
    public List<Escrow> page(EscrowStatus status, int page, int size) {
        return repository.page(status, page, size);
    }

    @Transactional
    public long count(EscrowStatus status) {
        return repository.count(status);
    }

    @Transactional
    public Optional<Escrow> byIdempotencyKey(String key) {
        return repository.byIdempotencyKey(key);
    }

    /** Where a setup failed; round 0 is the lease, before any wallet was touched. */
    public record Failure(Integer round, String role, String operation, Integer walletErrorCode, String error, String diagnosisJson) {

        public Failure(Integer round, String role, String operation, Integer walletErrorCode, String error) {
            this(round, role, operation, walletErrorCode, error, null);
        }

        /** The same failure with the analyzer's diagnosis (JSON) to store beside it. */
        public Failure with(String diagnosis) {
            return new Failure(round, role, operation, walletErrorCode, error, diagnosis);
        }
    }

    /** For each wallet of {@code escrowId}'s lease that another escrow had before, that escrow's id (the latest). */
    @Transactional
    public Map<String, String> previousEscrowsOf(String escrowId) {
        Escrow e = repository.findById(escrowId);
        Map<String, String> previous = new HashMap<>();
        for (String walletId : new String[] {e.buyerWalletId, e.vendorWalletId, e.arbiterWalletId}) {
            if (walletId != null) {
                repository.previousHolder(escrowId, walletId).ifPresent(other -> previous.put(walletId, other.id));
            }
        }
        return previous;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
