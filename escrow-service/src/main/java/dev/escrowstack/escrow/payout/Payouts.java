package dev.escrowstack.escrow.payout;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.funds.FundingCheck;
import dev.escrowstack.escrow.funds.FundsConfig;
import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;

/**
 * Release, refund, dispute and resolve. A payout is admitted by one guarded transition to
 * PAYOUT_PENDING ({@link PayoutStore#start}); everyone else gets a 409 naming what is going on instead.
 * An escrow still READY is checked for funds first, so a release right after funding does not have to
 * wait for the watcher.
 */
@ApplicationScoped
public class Payouts {

    private final PayoutStore store;
    private final MultisigSpend spend;
    private final FundingCheck funding;
    private final Tracer tracer;
    private final EscrowConfig config;
    private final FundsConfig funds;

    public Payouts(PayoutStore store, MultisigSpend spend, FundingCheck funding, Tracer tracer, EscrowConfig config,
            FundsConfig funds) {
        this.store = store;
        this.spend = spend;
        this.funding = funding;
        this.tracer = tracer;
        this.config = config;
        this.funds = funds;
    }

    public Escrow pay(String id, PayoutKind kind) {
        Escrow e = fundedOrReady(id);
        if (e.custody == Custody.PARTIES) {
            // The service holds only the arbiter's key: a payout needs a party's signature, which the parties'
            // own clients give (docs/parties.md); this path signs with two wallets of the gateway.
            String how = kind == PayoutKind.RELEASE ? "the vendor builds it (escrow-party release) and the buyer signs it (escrow-party sign)"
                    : kind == PayoutKind.REFUND ? "the buyer builds it (escrow-party refund) and the vendor signs it (escrow-party sign)"
                    : "the arbiter rules (POST /resolve) and the winner signs (escrow-party sign)";
            throw new ProblemException(409, "payout-by-parties", "Payout by the parties", "escrow " + id + " is non-custodial: the"
                    + " service holds only the arbiter's wallet and cannot " + kind.operation() + " it alone; " + how
                    + " (docs/funds.md)").with("escrow_id", id);
        }
        String address = kind.recipient == Role.buyer ? e.buyerPayoutAddress : e.vendorPayoutAddress;
        if (e.status == kind.from && address == null) {
            throw new ProblemException(409, "payout-address-missing", "Payout address missing", "the " + kind.recipient
                    + " has no payout address: PUT /api/escrow/" + id + "/payout-addresses with " + kind.recipient + "_payout_address")
                    .with("escrow_id", id).with("role", kind.recipient.name());
        }
        if (!spend.claim(id)) {
            throw conflict(store.find(id).orElseThrow(), kind);
        }
        try {
            if (!store.start(id, kind, address, config.instanceId())) {
                throw conflict(store.find(id).orElseThrow(), kind);
            }
            Escrow end = spend.run(id, false);
            if (end.status == EscrowStatus.PAYOUT_PENDING) {
                throw new ProblemException(502, "payout-outcome-unknown", "Payout outcome unknown", "the " + kind.operation()
                        + " was sent but its outcome is not known (" + end.payoutError + "); it stays PAYOUT_PENDING and is"
                        + " reconciled within " + funds.watchInterval().toSeconds() + " s: it is never paid twice")
                        .with("escrow_id", id).with("escrow_status", end.status.name());
            }
            if (end.status != kind.to) {
                throw new ProblemException(502, "payout-failed", "Payout failed", "the " + kind.operation() + " failed and nothing was"
                        + " paid; the escrow is " + end.status + " again and the payout can be asked for again: " + end.payoutError)
                        .with("escrow_id", id).with("escrow_status", end.status.name());
            }
            return end;
        } finally {
            spend.unclaim(id);
        }
    }

    public Escrow dispute(String id, Role raisedBy, String reason) {
        Escrow e = fundedOrReady(id);
        if (!store.dispute(id, raisedBy.name(), reason)) {
            throw wrongState(store.find(id).orElseThrow(), "a dispute", EscrowStatus.FUNDED);
        }
        Span span = tracer.spanBuilder(SpanNames.ESCROW_DISPUTE).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_ROLE, raisedBy.name())
                .setAttribute(ESCROW_STATUS, EscrowStatus.DISPUTED.name()).startSpan();
        span.end();
        Log.infof("escrow %s DISPUTED by the %s", e.id, raisedBy);
        return store.find(id).orElseThrow();
    }

    /** Addresses already checked for the network ({@code @PayoutAddress} on the request); null: not given. */
    public Escrow addresses(String id, String buyer, String vendor) {
        Escrow e = store.find(id).orElseThrow(() -> EscrowProblems.notFound(id));
        if (!e.status.holdsFunds() && e.status != EscrowStatus.INITIALIZING) {
            throw wrongState(e, "payout addresses", EscrowStatus.READY);
        }
        refuseChange("buyer_payout_address", e.buyerPayoutAddress, buyer, id);
        refuseChange("vendor_payout_address", e.vendorPayoutAddress, vendor, id);
        return store.addresses(id, buyer, vendor);
    }

    private static void refuseChange(String field, String current, String wanted, String id) {
        if (wanted != null && current != null && !current.equals(wanted)) {
            throw new ProblemException(409, "payout-address-set", "Payout address already set", field + " is already set and is"
                    + " never replaced: an address given once may already be what a payout was built for").with("escrow_id", id)
                    .with("field", field);
        }
    }

    /** The escrow, after a funding check when it is still READY (the check may make it FUNDED). */
    private Escrow fundedOrReady(String id) {
        Escrow e = store.find(id).orElseThrow(() -> EscrowProblems.notFound(id));
        FundingCheck.requireEnabled(funds, id);
        if (e.status == EscrowStatus.READY) {
            funding.check(e);
            e = store.find(id).orElseThrow();
        }
        return e;
    }

    /**
     * Why a payout was not admitted, from a fresh read. Still in the starting state means another request
     * here holds the payout and is about to move it: in progress as well.
     */
    private static ProblemException conflict(Escrow e, PayoutKind kind) {
        if (e.status == EscrowStatus.PAYOUT_PENDING || e.status == kind.from) {
            String running = e.payoutKind == null ? "a payout" : "a " + e.payoutKind.operation();
            return new ProblemException(409, "payout-in-progress", "Payout in progress", running + " of escrow " + e.id
                    + " is running; an escrow pays out once").with("escrow_id", e.id).with("escrow_status", e.status.name())
                    .with("payout_kind", e.payoutKind == null ? null : e.payoutKind.operation());
        }
        if (e.status == EscrowStatus.RELEASED || e.status == EscrowStatus.REFUNDED || e.status == EscrowStatus.RESOLVED) {
            return new ProblemException(409, "already-paid-out", "Already paid out", "escrow " + e.id + " is " + e.status + " (tx "
                    + e.payoutTxHashes + "); an escrow pays out once").with("escrow_id", e.id).with("escrow_status", e.status.name())
                    .with("tx_hash", e.payoutTxHashes == null ? null : e.payoutTxHashes.split(",")[0]);
        }
        return wrongState(e, "a " + kind.operation(), kind.from);
    }

    private static ProblemException wrongState(Escrow e, String what, EscrowStatus needed) {
        String hint = e.status == EscrowStatus.READY ? " (not funded yet: GET /api/escrow/" + e.id + "/funding shows what arrived)" : "";
        return new ProblemException(409, "escrow-state-conflict", "Not possible in this state", what + " needs a " + needed
                + " escrow; escrow " + e.id + " is " + e.status + hint).with("escrow_id", e.id).with("escrow_status", e.status.name());
    }
}
