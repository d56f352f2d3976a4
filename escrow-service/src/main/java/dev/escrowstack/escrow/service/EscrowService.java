package dev.escrowstack.escrow.service;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

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
 * persist READY or FAILED, release the lease. Every path ends in READY or FAILED; a crash in between
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
        try (Scope ignored = span.makeCurrent(); HeldLease held = lease(escrow, span)) {
            // Unrecorded, the lease would keep three wallets from other escrows until its TTL runs out: a failed
            // write leaves here, and closing releases it.
            recorded.write(escrow.id, "its lease", () -> store.leased(escrow.id, held.lease()));
            return setUp(escrow, held.lease(), span, started);
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

    /** The setup on leased wallets, ending READY or FAILED (recorded before the lease goes back). */
    private Escrow setUp(Escrow escrow, Lease lease, Span span, long started) {
        try {
            MultisigSetup.Result result = setup.run(escrow.id, lease);
            long durationMs = (System.nanoTime() - started) / 1_000_000; // the setup's, not a wait for the database
            Escrow ready = recorded.write(escrow.id, "READY", () -> store.ready(escrow.id, result, durationMs));
            span.setAttribute(ESCROW_STATUS, EscrowStatus.READY.name());
            Log.infof("escrow %s READY at %s in %d ms", escrow.id, result.address(), ready.setupDurationMs);
            return ready;
        } catch (SetupFailed f) {
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

    /** Three new wallets (a used one as the buyer's under the cache-pollution fault); when none come, FAILED and a problem. */
    private HeldLease lease(Escrow escrow, Span span) {
        try {
            Optional<FaultInjection.Polluted> polluted = faults.pollutedBuyerWallet();
            Map<Role, String> existing = polluted.map(p -> Map.of(Role.buyer, p.walletId())).orElse(Map.of());
            if (!existing.isEmpty()) {
                Log.warnf("fault cache-pollution: escrow %s gets wallet %s, already multisig, as its buyer wallet", escrow.id,
                        existing.get(Role.buyer));
            }
            try {
                return gateway.acquire(escrow.id, polluted.map(FaultInjection.Polluted::gateway).orElse(null), Role.ALL, existing,
                        config.setup().leaseTtl(), config.setup().leaseWait());
            } finally {
                faults.returned(existing);
            }
        } catch (GatewayBusy busy) {
            fail(escrow.id, new Failure(0, null, "lease", null, busy.getMessage()), true, span);
            throw EscrowProblems.busy(escrow.id, busy.getMessage(), busy.retryAfter());
        } catch (GatewayCallFailed failed) {
            fail(escrow.id, new Failure(0, null, "lease", null, failed.getMessage()), false, span);
            throw EscrowProblems.leaseFailed(escrow.id, failed.getMessage());
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

    /**
     * The longest a setup can take: waiting for a lease plus every round's deadline, plus the time its outcome
     * may wait for the database (so the sweep never fails a setup that is about to record READY).
     */
    public Duration maxSetupDuration() {
        return config.setup().leaseWait().plus(config.setup().roundTimeout().multipliedBy(5)).plusSeconds(30)
                .plus(config.setup().recordRetry());
    }
}
