package dev.escrowstack.escrow.payout;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.*;
import dev.escrowstack.escrow.client.HeldLease;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.funds.FundsConfig;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.escrow.setup.Snapshots;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * Carries an escrow in PAYOUT_PENDING to its end: lease the builder's and the signer's wallets, sync
 * them, and — unless an earlier run already paid — export and cross-import their multisig info, sweep
 * to the payout address from the builder, sign and submit from the signer.
 *
 * <p>Every attempt starts from a fresh export and import and builds a new transaction: a tx set from a
 * failed attempt is never signed again. The sweep spends every output of the escrow, so two payouts
 * would spend the same key images and the daemon would refuse the second; before each attempt and
 * before giving up, the wallets' outgoing transfers are checked, so an earlier submit whose answer was
 * lost is found and recorded instead of paid twice.
 */
@ApplicationScoped
public class MultisigSpend {

    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final WalletGateway gateway;
    private final PayoutStore store;
    private final Snapshots snapshots;
    private final Tracer tracer;
    private final FundsConfig config;

    public MultisigSpend(WalletGateway gateway, PayoutStore store, Snapshots snapshots, Tracer tracer, FundsConfig config) {
        this.gateway = gateway;
        this.store = store;
        this.snapshots = snapshots;
        this.tracer = tracer;
        this.config = config;
    }

    /** Marks the escrow's payout as run by this process; false when it already is. */
    boolean claim(String id) {
        return running.add(id);
    }

    void unclaim(String id) {
        running.remove(id);
    }

    /**
     * Runs the payout. {@code resuming}: the run that started it died with its process, so its leases are
     * released first. Returns the escrow afterwards: paid (the kind's final state), given back (its
     * previous state, payout_error says why) or still PAYOUT_PENDING when the outcome is not known yet.
     */
    Escrow run(String id, boolean resuming) {
        Escrow e = store.find(id).orElseThrow();
        PayoutKind kind = e.payoutKind;
        long started = System.nanoTime();
        Span span = tracer.spanBuilder(SpanNames.ESCROW_PAYOUT).setAttribute(ESCROW_ID, id)
                .setAttribute(ESCROW_OPERATION, kind.operation()).setAttribute(ESCROW_AMOUNT, e.amount).startSpan();
        Span.current().setAttribute(ESCROW_ID, id);
        try (Scope ignored = span.makeCurrent()) {
            if (resuming) {
                gateway.releaseAllOf(id);
            }
            HeldLease held;
            try {
                held = gateway.acquire(id, e.gateway, List.of(kind.builder, kind.signer), Map.of(kind.builder,
                        e.walletIdOf(kind.builder), kind.signer, e.walletIdOf(kind.signer)), config.leaseTtl(), config.leaseWait());
            } catch (GatewayBusy busy) {
                if (resuming) {
                    return ended(span, store.unresolved(id, "lease: " + busy.getMessage()));
                }
                ended(span, store.givenBack(id, "lease: " + busy.getMessage()));
                throw EscrowProblems.busy(id, busy.getMessage(), busy.retryAfter());
            } catch (GatewayCallFailed failed) {
                return ended(span, resuming ? store.unresolved(id, "lease: " + failed.getMessage())
                        : store.givenBack(id, "lease: " + failed.getMessage()));
            }
            try (held) {
                Escrow end = attempts(store.find(id).orElseThrow(), kind, held.lease(), span);
                if (end.status == kind.to) {
                    Log.infof("escrow %s %s: %s to the %s, fee %d, in %d ms (tx %s)", id, end.status, end.payoutAmount, kind.recipient,
                            end.payoutFee, (System.nanoTime() - started) / 1_000_000, end.payoutTxHashes);
                }
                return ended(span, end);
            }
        } finally {
            span.end();
        }
    }

    private Escrow attempts(Escrow e, PayoutKind kind, Lease lease, Span span) {
        GatewayCallFailed last = null;
        for (int attempt = 1; attempt <= Math.max(1, config.payoutAttempts()); attempt++) {
            store.attempt(e.id);
            span.setAttribute(PAYOUT_ATTEMPT, attempt);
            try {
                Optional<Escrow> paid = alreadyPaid(e.id, kind, lease);
                if (paid.isPresent()) {
                    return paid.get();
                }
                return spendOnce(e, kind, lease);
            } catch (GatewayCallFailed f) {
                last = f;
                span.addEvent("payout attempt failed", Attributes.of(AttributeKey.longKey("attempt"), (long) attempt,
                        AttributeKey.stringKey("operation"), f.operation(), AttributeKey.stringKey("error"), String.valueOf(f.getMessage())));
                Log.warnf("escrow %s: %s attempt %d failed at %s: %s", e.id, kind.operation(), attempt, f.operation(), f.getMessage());
                if (f.status() == 0) {
                    break; // no answer: whatever happened, retrying blindly is not the way to find out
                }
            }
        }
        String error = last.operation() + ": " + last.getMessage();
        try {
            Optional<Escrow> paid = alreadyPaid(e.id, kind, lease);
            if (paid.isPresent()) {
                return paid.get();
            }
        } catch (GatewayCallFailed unknown) {
            return store.unresolved(e.id, error);
        }
        boolean submitted = Boolean.TRUE.equals(store.find(e.id).orElseThrow().payoutSubmitting);
        // Nothing went out. Given back unless a submit might still be on its way (no answer to it).
        return submitted && last.status() == 0 ? store.unresolved(e.id, error) : store.givenBack(e.id, error);
    }

    private Escrow spendOnce(Escrow e, PayoutKind kind, Lease lease) {
        Role builder = kind.builder;
        Role signer = kind.signer;
        snapshots.take(lease, builder, EventTypes.SNAPSHOT_PRE_PAYOUT);
        snapshots.take(lease, signer, EventTypes.SNAPSHOT_PRE_PAYOUT);
        ExportedInfo fromBuilder = gateway.export(lease, builder);
        ExportedInfo fromSigner = gateway.export(lease, signer);
        gateway.importInfo(lease, builder, List.of(fromSigner.info()));
        gateway.importInfo(lease, signer, List.of(fromBuilder.info()));
        snapshots.take(lease, builder, EventTypes.SNAPSHOT_POST_PAYOUT_IMPORT);
        snapshots.take(lease, signer, EventTypes.SNAPSHOT_POST_PAYOUT_IMPORT);
        Swept swept = gateway.sweep(lease, builder, e.payoutAddress);
        Signed signed = gateway.sign(lease, signer, swept.multisigTxset());
        store.submitting(e.id);
        Submitted submitted = gateway.submit(lease, signer, signed.txDataHex());
        Escrow paid = store.paid(e.id, submitted.txHashList(), swept.amount(), swept.fee());
        snapshots.take(lease, signer, EventTypes.SNAPSHOT_POST_PAYOUT);
        return paid;
    }

    /** Syncs both wallets and looks for an outgoing transfer: an escrow pays out once, so any is the payout. */
    private Optional<Escrow> alreadyPaid(String id, PayoutKind kind, Lease lease) {
        List<String> hashes = new ArrayList<>();
        long amount = 0;
        long fee = 0;
        for (Role role : List.of(kind.signer, kind.builder)) {
            gateway.refresh(lease, role);
            for (TransferEntry t : gateway.transfers(lease, role).transfers()) {
                if (!t.incoming() && !hashes.contains(t.txHash())) {
                    hashes.add(t.txHash());
                    amount += t.amount();
                    fee += t.fee();
                }
            }
        }
        if (hashes.isEmpty()) {
            return Optional.empty();
        }
        Log.infof("escrow %s: the %s was already submitted (tx %s); recorded, not paid again", id, kind.operation(), hashes);
        return Optional.of(store.paid(id, hashes, amount, fee));
    }

    private static Escrow ended(Span span, Escrow e) {
        span.setAttribute(ESCROW_STATUS, e.status.name());
        if (e.payoutTxHashes != null) {
            span.setAttribute(AttributeKey.stringArrayKey(PAYOUT_TX_HASHES), List.of(e.payoutTxHashes.split(",")));
            span.setAttribute(PAYOUT_AMOUNT, e.payoutAmount).setAttribute(PAYOUT_FEE, e.payoutFee);
        }
        if (e.payoutTxHashes == null) { // given back, or the outcome not known yet
            span.setStatus(StatusCode.ERROR, String.valueOf(e.payoutError));
        }
        return e;
    }

}
