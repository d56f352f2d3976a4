package dev.escrowstack.escrow.service;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.PersistenceException;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.HeldLease;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.fault.FaultInjection;
import dev.escrowstack.escrow.parties.PartySetup;
import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.DatabaseOutage;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.escrow.service.EscrowStore.Failure;
import dev.escrowstack.escrow.setup.MultisigSetup;
import dev.escrowstack.escrow.setup.SetupFailed;
import dev.escrowstack.escrow.setup.UnknownOutcome;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * {@code POST /api/escrow/init}: persist INITIALIZING, lease three new wallets at once, run the setup,
 * persist READY or FAILED, release the lease. A fault whose outcome is unknown (a wallet-rpc that died under a
 * call, a lost answer, a gateway restart) does not fail the escrow: that attempt's wallets are abandoned and
 * the setup starts over on three new ones, within {@code escrow.setup.attempts} and one deadline. Every path ends in READY or FAILED; a crash in between
 * is cleaned up by {@link AbandonedSetups}. The outcomes are written through a short database outage
 * ({@link Recorded}).
 */
@ApplicationScoped
public class EscrowService {

    /** The answer to an init: the escrow, and whether this call created it or replayed an earlier one. */
    /** {@code partyTokens}: custody PARTIES, the parties' tokens, on the first answer only (they are stored as hashes). */
    public record Outcome(Escrow escrow, boolean replayed, Map<Role, String> partyTokens) {

        Outcome(Escrow escrow, boolean replayed) {
            this(escrow, replayed, Map.of());
        }
    }

    /** How long an init waits before asking again for a lease that a fault stopped (the gateway may be restarting). */
    private static final Duration UNREACHABLE_PAUSE = Duration.ofSeconds(1);

    /** Releases of abandoned attempts' leases, off the init's path. */
    private final ExecutorService releases = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "abandoned-lease-release");
        t.setDaemon(true);
        return t;
    });

    private final EscrowStore store;
    private final WalletGateway gateway;
    private final MultisigSetup setup;
    private final EscrowConfig config;
    private final Tracer tracer;
    private final FaultInjection faults;
    private final Recorded recorded;
    private final SetupDiagnoses diagnoses;
    private final PartySetup partySetup;

    public EscrowService(EscrowStore store, WalletGateway gateway, MultisigSetup setup, EscrowConfig config, Tracer tracer,
            FaultInjection faults, Recorded recorded, SetupDiagnoses diagnoses, PartySetup partySetup) {
        this.partySetup = partySetup;
        this.recorded = recorded;
        this.diagnoses = diagnoses;
        this.faults = faults;
        this.store = store;
        this.gateway = gateway;
        this.setup = setup;
        this.config = config;
        this.tracer = tracer;
    }

    public Outcome init(NewEscrow request, String idempotencyKey) {
        if (request.buyerId().equals(request.vendorId())) {
            throw EscrowProblems.field("vendor_id", "must differ from buyer_id");
        }
        if (request.amount() >= config.maxAmount()) {
            throw EscrowProblems.field("amount", "must be below " + config.maxAmount() + " atomic units");
        }
        String hash = Hashes.sha256Hex(request.buyerId() + "\n" + request.vendorId() + "\n" + request.amount()
                + (request.buyerPayoutAddress() == null && request.vendorPayoutAddress() == null ? ""
                        : "\n" + request.buyerPayoutAddress() + "\n" + request.vendorPayoutAddress())
                + (request.custody() == Custody.SERVICE ? "" : "\n" + request.custody().wire()));
        if (idempotencyKey != null) {
            Optional<Escrow> earlier = store.byIdempotencyKey(idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), hash);
            }
        }
        Escrow escrow;
        try {
            escrow = store.create(request, idempotencyKey, hash, config.instanceId());
        } catch (PersistenceException e) {
            // Two requests with one key at the same instant: the unique key let one through.
            Optional<Escrow> winner = idempotencyKey == null ? Optional.empty() : store.byIdempotencyKey(idempotencyKey);
            return replay(winner.orElseThrow(() -> e), hash);
        }
        if (escrow.custody == Custody.PARTIES) {
            return parties(escrow);
        }
        return new Outcome(run(escrow), false);
    }

    private Escrow run(Escrow escrow) {
        Span span = tracer.spanBuilder(SpanNames.ESCROW_INIT)
                .setAttribute(ESCROW_ID, escrow.id)
                .setAttribute(ESCROW_BUYER_ID, escrow.buyerId)
                .setAttribute(ESCROW_VENDOR_ID, escrow.vendorId)
                .setAttribute(ESCROW_AMOUNT, escrow.amount)
                .startSpan();
        Span.current().setAttribute(ESCROW_ID, escrow.id); // the HTTP server span too, so Jaeger finds it
        long started = System.nanoTime();
        // The skill's troubleshooting looks for this line.
        Log.infof("Instrumentation %s for escrow %s", config.instrumentation().enabled() ? "ENABLED" : "disabled", escrow.id);
        try (Scope ignored = span.makeCurrent()) {
            for (int attempt = 1;; attempt++) {
                span.setAttribute(ESCROW_ATTEMPT, (long) attempt);
                try (HeldLease held = lease(escrow, span, attempt, started)) {
                    // Unrecorded, the lease would keep three wallets from other escrows until its TTL runs out: a
                    // failed write leaves here, and closing releases it.
                    recorded.write(escrow.id, "its lease", () -> store.leased(escrow.id, held.lease()));
                    Optional<Escrow> done = setUp(escrow, held.lease(), span, started, attempt);
                    if (done.isPresent()) {
                        return done.get();
                    }
                    // Abandoned: the next attempt's new wallets need not wait for these to be stored and closed
                    // (seconds while the gateway restarts the process that died under them).
                    held.closeIn(releases);
                }
            }
        } finally {
            span.end();
        }
    }

    /** Custody PARTIES: the arbiter's wallet prepared, the escrow waits for the parties (PartySetup). */
    private Outcome parties(Escrow escrow) {
        Span span = tracer.spanBuilder(SpanNames.ESCROW_INIT).setAttribute(ESCROW_ID, escrow.id).setAttribute(ESCROW_BUYER_ID, escrow.buyerId)
                .setAttribute(ESCROW_VENDOR_ID, escrow.vendorId).setAttribute(ESCROW_AMOUNT, escrow.amount)
                .setAttribute(ESCROW_CUSTODY, Custody.PARTIES.wire()).startSpan();
        Span.current().setAttribute(ESCROW_ID, escrow.id);
        try (Scope ignored = span.makeCurrent()) {
            PartySetup.Started started = partySetup.start(escrow);
            span.setAttribute(ESCROW_STATUS, started.escrow().status.name());
            return new Outcome(started.escrow(), false, started.tokens());
        } catch (RuntimeException e) {
            span.setAttribute(ESCROW_STATUS, EscrowStatus.FAILED.name()).setStatus(StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    /**
     * The setup on leased wallets, ending READY or FAILED (recorded before the lease goes back), or empty when
     * a fault left the outcome unknown and the setup starts over on new wallets.
     */
    private Optional<Escrow> setUp(Escrow escrow, Lease lease, Span span, long started, int attempt) {
        try {
            MultisigSetup.Result result = setup.run(escrow.id, lease);
            long durationMs = (System.nanoTime() - started) / 1_000_000; // the setup's, not a wait for the database
            Escrow ready = recorded.write(escrow.id, "READY", () -> store.ready(escrow.id, result, durationMs));
            span.setAttribute(ESCROW_STATUS, EscrowStatus.READY.name());
            Log.infof("escrow %s READY at %s in %d ms%s", escrow.id, result.address(), ready.setupDurationMs,
                    attempt == 1 ? "" : " (attempt " + attempt + ")");
            return Optional.of(ready);
        } catch (SetupFailed f) {
            Optional<UnknownOutcome> fault = UnknownOutcome.of(f);
            if (fault.isPresent() && startsOver(attempt, started)) {
                abandon(escrow.id, attempt, fault.get(), f, lease);
                return Optional.empty();
            }
            SetupDiagnoses.Diagnosed diagnosed = diagnoses.diagnose(escrow.id, f);
            Failure failure = diagnosed.failure();
            diagnosed.diagnosis().onSpan(span); // ERROR_FINAL's root_cause: the same answer as the problem body's
            fail(escrow.id, failure, false, span);
            throw EscrowProblems.setupFailed(escrow.id, failure.round(), failure.role(), failure.operation(), failure.walletErrorCode(),
                    failure.error(), diagnosed.diagnosis().surfaced(), diagnosed.diagnosis().rootCause());
        } catch (RuntimeException e) {
            if (DatabaseOutage.isOutage(e)) {
                // It has had its retries already: recording FAILED now would only wait for the database again.
                // The id lets the client look the escrow up once the database is back (the sweep fails it).
                span.setStatus(StatusCode.ERROR, "outcome not recorded: the database is unreachable");
                throw EscrowProblems.databaseUnavailable().with("escrow_id", escrow.id);
            }
            fail(escrow.id, new Failure(null, null, "internal", null, String.valueOf(e)), false, span);
            throw e;
        }
    }

    /** Another attempt fits: fewer than the limit so far, and a whole attempt still ends within the init's deadline. */
    private boolean startsOver(int attempt, long started) {
        return attempt < config.setup().attempts()
                && System.nanoTime() + attemptBudget().toNanos() <= started + initDeadline().toNanos();
    }

    /**
     * Gives an attempt up: its wallets are never used again (the gateway never hands out a leased wallet as
     * new, and they may be half multisig — how Pattern A begins), and the escrow's file, span and view say so.
     */
    private void abandon(String escrowId, int attempt, UnknownOutcome fault, SetupFailed f, Lease lease) {
        Map<String, String> wallets = new LinkedHashMap<>();
        lease.walletIds().forEach((role, id) -> wallets.put(role.name(), id));
        String walletId = f.role() == null ? null : wallets.get(f.role().name());
        Span abandoned = tracer.spanBuilder(SpanNames.ESCROW_ATTEMPT_ABANDONED)
                .setAttribute(ESCROW_ID, escrowId).setAttribute(ESCROW_ATTEMPT, (long) attempt).setAttribute(ESCROW_FAULT, fault.kind())
                .setAttribute(ESCROW_ROUND, (long) f.round()).setAttribute(ESCROW_OPERATION, f.operation())
                .setAttribute(ESCROW_WALLETS, wallets.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(",")))
                .startSpan();
        if (f.role() != null) {
            abandoned.setAttribute(ESCROW_ROLE, f.role().name());
            abandoned.setAttribute(WALLET_ID, walletId);
        }
        abandoned.setStatus(StatusCode.ERROR, String.valueOf(f.getMessage()));
        abandoned.end();
        recorded.write(escrowId, "an abandoned attempt", () -> store.abandoned(escrowId, new AbandonedAttempt(attempt, fault.kind(),
                f.round(), f.role() == null ? null : f.role().name(), f.operation(), walletId, wallets, f.getMessage(), Instant.now())));
        Log.warnf("escrow %s: attempt %d abandoned after %s in round %d on the %s wallet (%s); starting over on three new wallets",
                escrowId, attempt, fault.describe(), f.round(), f.role(), f.getMessage());
    }

    /**
     * Three new wallets (a used one as the buyer's under the cache-pollution fault, first attempt only); when
     * none come, FAILED and a problem. A gateway that does not answer, or a grant a crashed wallet-rpc cut off, is
     * asked again within the patience left: it may be restarting, and an init should outlive that.
     */
    private HeldLease lease(Escrow escrow, Span span, int attempt, long started) {
        Duration patience = attempt == 1 ? config.setup().leaseWait()
                : min(config.setup().leaseWait(), Duration.ofNanos(started + initDeadline().minus(attemptBudget()).toNanos() - System.nanoTime()));
        long deadline = System.nanoTime() + patience.toNanos();
        String after = attempt == 1 ? "" : "attempt " + attempt + " (after " + (attempt - 1) + " abandoned): ";
        while (true) {
            try {
                return leaseOnce(escrow, attempt, Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
            } catch (GatewayBusy busy) {
                fail(escrow.id, new Failure(0, null, "lease", null, after + busy.getMessage()), true, span);
                throw EscrowProblems.busy(escrow.id, busy.getMessage(), busy.retryAfter());
            } catch (GatewayCallFailed failed) {
                // No answer (a gateway restarting), or a grant cut off by a wallet-rpc that died while the gateway
                // opened or created a wallet for it: no wallet of this escrow was touched, so asking again is safe.
                boolean fault = failed.status() == 0 || "lease-setup-failed".equals(failed.type());
                if (fault && System.nanoTime() + UNREACHABLE_PAUSE.toNanos() < deadline) {
                    Log.warnf("escrow %s: no lease yet (%s); asking wallet-gateway again", escrow.id, failed.getMessage());
                    sleep(UNREACHABLE_PAUSE);
                    continue;
                }
                fail(escrow.id, new Failure(0, null, "lease", null, after + failed.getMessage()), false, span);
                throw EscrowProblems.leaseFailed(escrow.id, failed.getMessage());
            }
        }
    }

    private HeldLease leaseOnce(Escrow escrow, int attempt, Duration patience) {
        Optional<FaultInjection.Polluted> polluted = attempt == 1 ? faults.pollutedBuyerWallet() : Optional.empty();
        Map<Role, String> existing = polluted.map(p -> Map.of(Role.buyer, p.walletId())).orElse(Map.of());
        if (!existing.isEmpty()) {
            Log.warnf("fault cache-pollution: escrow %s gets wallet %s, already multisig, as its buyer wallet", escrow.id,
                    existing.get(Role.buyer));
        }
        try {
            return gateway.acquire(escrow.id, polluted.map(FaultInjection.Polluted::gateway).orElse(null), Role.ALL, existing,
                    config.setup().leaseTtl(), patience);
        } finally {
            faults.returned(existing);
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b.isNegative() ? Duration.ZERO : b;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayBusy("interrupted while waiting for wallet-gateway", d);
        }
    }

    private void fail(String id, Failure failure, boolean retryable, Span span) {
        recorded.write(id, "FAILED", () -> store.failed(id, failure, retryable));
        span.setAttribute(ESCROW_STATUS, EscrowStatus.FAILED.name());
        if (failure.role() != null) {
            span.setAttribute(ESCROW_ROLE, failure.role());
        }
        if (failure.round() != null) {
            span.setAttribute(ESCROW_ROUND, (long) failure.round());
        }
        span.setAttribute(ESCROW_OPERATION, failure.operation());
        span.setStatus(StatusCode.ERROR, failure.operation() + ": " + failure.error());
        Log.warnf("escrow %s FAILED%s%s at %s: %s", id, failure.round() == null ? "" : " in round " + failure.round(),
                failure.role() == null ? "" : ", " + failure.role() + " wallet", failure.operation(), failure.error());
    }

    /** The escrow an earlier call with the same key made; if its setup still runs, wait for its end. */
    private Outcome replay(Escrow earlier, String hash) {
        if (!hash.equals(earlier.requestHash)) {
            throw EscrowProblems.keyReused(earlier.id);
        }
        long deadline = System.nanoTime() + maxSetupDuration().toNanos();
        Escrow current = earlier;
        while (current.status == EscrowStatus.INITIALIZING && System.nanoTime() < deadline) {
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            current = store.find(earlier.id).orElse(current);
        }
        return new Outcome(current, true);
    }

    public Optional<Escrow> find(String id) {
        return store.find(id);
    }

    /** One page of escrows, newest first, in {@code status} or in any state when it is null. */
    public List<Escrow> page(EscrowStatus status, int page, int size) {
        return store.page(status, page, size);
    }

    /** How many escrows are in {@code status}, or in all when it is null. */
    public long count(EscrowStatus status) {
        return store.count(status);
    }

    /**
     * The longest a setup can take: every attempt's lease wait and rounds, plus the time its outcome may wait for
     * the database (so the sweep never fails a setup that is about to record READY).
     */
    public Duration maxSetupDuration() {
        return initDeadline().plus(config.setup().recordRetry());
    }

    /** One deadline for a whole init: the first lease wait and every attempt's rounds (a later lease waits within it). */
    private Duration initDeadline() {
        return config.setup().leaseWait().plus(attemptBudget().multipliedBy(config.setup().attempts()));
    }

    /** One attempt's five steps (prepare, make, two exchanges, the check), each within its round's deadline. */
    private Duration attemptBudget() {
        return config.setup().roundTimeout().multipliedBy(5).plusSeconds(30);
    }
}
