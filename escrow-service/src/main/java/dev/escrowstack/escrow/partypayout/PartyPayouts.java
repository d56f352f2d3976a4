package dev.escrowstack.escrow.partypayout;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.Described;
import dev.escrowstack.escrow.client.GatewayModels.Swept;
import dev.escrowstack.escrow.client.GatewayModels.TransferEntry;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.funds.FundingCheck;
import dev.escrowstack.escrow.funds.FundsConfig;
import dev.escrowstack.escrow.parties.ArbiterWallet;
import dev.escrowstack.escrow.parties.PartiesConfig;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PartySync;
import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * Payouts of a non-custodial escrow (docs/funds.md): the parties build and sign with their own wallets, the
 * service passes transaction sets on and signs only as the arbiter. Before a set is handed to its signer, the
 * arbiter's wallet reads it ({@code describe_transfer}) and it is refused unless it pays exactly the recorded
 * payout address everything at the escrow address less the fee; before anyone signs, both signers must have
 * imported the epoch's infos. The escrow moves to RELEASED/REFUNDED/RESOLVED when the arbiter's wallet sees the
 * transaction, once.
 */
@ApplicationScoped
public class PartyPayouts {

    private static final Duration POLL = Duration.ofMillis(250);

    public record PayoutTask(String kind, String state, Integer epoch, String builder, String signer, String address, Long amount,
            Long fee, String multisigTxset, String txsetSha256, String waitingFor, Instant since, Instant deadline, boolean overdue,
            List<String> txHashes) {

        static final PayoutTask NONE = new PayoutTask(null, "NONE", null, null, null, null, null, null, null, null, null, null, null,
                false, List.of());
    }

    public record FundsView(String escrowId, String status, Integer epoch, List<String> exported, Map<String, List<String>> imported,
            String buyerPayoutAddress, String vendorPayoutAddress, PayoutTask payout, String ruling) {
    }

    private final PartyPayoutStore store;
    private final SyncEpochs epochs;
    private final WalletGateway gateway;
    private final FundingCheck funding;
    private final FundsConfig funds;
    private final PartiesConfig config;
    private final Tracer tracer;
    private final ArbiterWallet arbiter;
    /** Escrows whose arbiter step (a check, a build, a look for the transaction) runs here now. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public PartyPayouts(PartyPayoutStore store, SyncEpochs epochs, WalletGateway gateway, FundingCheck funding, FundsConfig funds,
            PartiesConfig config, Tracer tracer, ArbiterWallet arbiter) {
        this.store = store;
        this.epochs = epochs;
        this.gateway = gateway;
        this.funding = funding;
        this.funds = funds;
        this.config = config;
        this.tracer = tracer;
        this.arbiter = arbiter;
    }

    /** What a party needs to know about the escrow's funds: the epoch, who synced, the payout (its tx set only to its signer). */
    public FundsView funds(Escrow e, Role role) {
        e = funded(e);
        List<String> exported = new ArrayList<>();
        Map<String, List<String>> imported = new LinkedHashMap<>();
        if (e.syncEpoch != null) {
            for (PartySync s : epochs.rows(e.id, e.syncEpoch)) {
                exported.add(s.role);
                imported.put(s.role, s.imported());
            }
        }
        String ruling = e.resolveWinner == null ? null : e.resolveWinner;
        return new FundsView(e.id, e.status.name(), e.syncEpoch, exported, imported, e.buyerPayoutAddress, e.vendorPayoutAddress,
                task(e, role), ruling);
    }

    /**
     * The builder's transaction set for a release (the vendor's) or a refund (the buyer's). Checked, then handed to the
     * signer; refused (422, and a new epoch) unless it is exactly the payout.
     */
    public PayoutTask propose(Escrow e, Role role, String kindName, String txset) {
        PayoutKind kind = switch (kindName == null ? "" : kindName) {
            case "release" -> PayoutKind.RELEASE;
            case "refund" -> PayoutKind.REFUND;
            default -> throw ProblemException.badRequest("kind must be release or refund (a dispute is resolved by the arbiter)")
                    .with("field", "kind");
        };
        if (txset == null || txset.isBlank() || !txset.matches("[0-9a-f]+")) {
            throw ProblemException.badRequest("multisig_txset is the hex sweep_all answered").with("field", "multisig_txset");
        }
        Role builder = PartyKinds.builder(kind);
        Role signer = kind.recipient == Role.vendor ? Role.buyer : Role.vendor;
        if (role != builder) {
            throw PayoutProblems.notTheBuilder(e.id, role.name(), kind.operation(), builder.name());
        }
        e = funded(e);
        if (e.status != EscrowStatus.FUNDED) {
            throw PayoutProblems.wrongState(e, "a " + kind.operation());
        }
        String address = kind.recipient == Role.buyer ? e.buyerPayoutAddress : e.vendorPayoutAddress;
        if (address == null) {
            throw PayoutProblems.addressMissing(e.id, kind.recipient.name());
        }
        int epoch = epochs.current(e);
        List<String> stale = epochs.stale(e.id, epoch, Map.of(builder, signer, signer, builder));
        if (!stale.isEmpty()) {
            throw stale(e.id, epoch, stale, kind, "its transaction set");
        }
        return check(e, kind, role, signer, address, epoch, txset);
    }

    /** The signer's view of the payout: its tx set once it is its turn, waiting up to {@code waitSeconds} for one. */
    public PayoutTask awaiting(String escrowId, Role role, int waitSeconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(0, Math.min(waitSeconds, config.maxWait().toSeconds()))).toNanos();
        while (true) {
            Escrow e = store.find(escrowId);
            boolean mine = e.status == EscrowStatus.PAYOUT_PENDING && role.name().equals(e.payoutSigner);
            if (mine && !Boolean.TRUE.equals(e.payoutSubmitting)) {
                Role from = e.payoutKind.builder == Role.arbiter ? Role.arbiter : PartyKinds.builder(e.payoutKind);
                List<String> stale = epochs.stale(e.id, e.payoutEpoch, Map.of(role, from));
                if (!stale.isEmpty()) {
                    throw stale(e.id, e.payoutEpoch, stale, e.payoutKind, "its signature");
                }
            }
            if (mine || e.status != EscrowStatus.PAYOUT_PENDING && e.paidAt != null || System.nanoTime() >= deadline) {
                return task(e, role);
            }
            sleep();
        }
    }

    /** The signer submitted: recorded, and looked for at once with the arbiter's wallet (and every watch interval after). */
    public PayoutTask submitted(Escrow e, Role role, List<String> txHashes) {
        if (txHashes == null || txHashes.isEmpty() || !txHashes.stream().allMatch(h -> h != null && h.matches("[0-9a-f]{64}"))) {
            throw ProblemException.badRequest("tx_hashes: the hashes submit_multisig answered (64 hex each)").with("field", "tx_hashes");
        }
        if (e.status != EscrowStatus.PAYOUT_PENDING) {
            if (e.paidAt != null) {
                return task(e, role);
            }
            throw PayoutProblems.wrongState(e, "a submitted payout");
        }
        if (!role.name().equals(e.payoutSigner)) {
            throw PayoutProblems.notTheSigner(e.id, role.name(), e.payoutSigner);
        }
        Span span = PayoutSpans.start(tracer, e.id, PayoutSpans.SUBMITTED, role.name(), e.payoutEpoch)
                .setAttribute(ESCROW_OPERATION, e.payoutKind.operation())
                .setAttribute(AttributeKey.stringArrayKey(PAYOUT_TX_HASHES), txHashes);
        span.end();
        Escrow now = store.submitted(e.id, txHashes);
        return task(lookForPayout(now).orElse(now), role);
    }

    /** A dispute was raised: a new epoch, so nobody signs a ruling on data a release may have used. */
    public void disputed(String escrowId) {
        Escrow e = store.find(escrowId);
        try {
            epochs.open(escrowId, e.syncEpoch, "a dispute");
        } catch (ProblemException p) {
            Log.warnf("escrow %s: the dispute's sync epoch did not open (%s); the arbiter's ruling opens it", escrowId, p.getMessage());
        }
    }

    /**
     * The arbiter rules for {@code winner}: the arbiter's wallet builds the payout to the winner's address and signs its
     * half as soon as the winner's export of the epoch is in (now, or when it arrives). Called again on a payout the
     * winner has not signed, it re-issues: the set is withdrawn and a new epoch opens.
     */
    public Escrow resolve(Escrow e, Role winner, String changedBy) {
        PayoutKind kind = PayoutKind.resolvingFor(winner);
        if (e.status == EscrowStatus.PAYOUT_PENDING && e.payoutKind != null && e.payoutKind.from == EscrowStatus.DISPUTED) {
            sayOverdue(e);
            if (!store.withdrawn(e.id, "re-issued by the arbiter: the " + e.payoutSigner + " had not signed")) {
                throw PayoutProblems.wrongState(store.find(e.id), "a re-issue");
            }
            Log.infof("escrow %s: the arbiter re-issues its ruling (the %s had not signed since %s)", e.id, e.payoutSigner,
                    e.payoutStartedAt);
            epochs.open(e.id, e.syncEpoch, "the arbiter re-issued its ruling");
            e = store.find(e.id);
        }
        if (e.status != EscrowStatus.DISPUTED) {
            throw PayoutProblems.wrongState(e, "a resolution");
        }
        if ((winner == Role.buyer ? e.buyerPayoutAddress : e.vendorPayoutAddress) == null) {
            throw PayoutProblems.addressMissing(e.id, winner.name());
        }
        int epoch = e.syncEpoch == null || e.syncEpoch.equals(e.payoutEpoch) ? epochs.open(e.id, e.syncEpoch, "the arbiter's ruling")
                : e.syncEpoch;
        store.ruling(e.id, winner.name(), epoch, changedBy);
        Log.infof("escrow %s: the arbiter rules for the %s (%s); epoch %d", e.id, winner, kind.operation(), epoch);
        buildRuling(e.id);
        return store.find(e.id);
    }

    /** A party's export arrived: a ruling waiting for it is built now. */
    public void exported(String escrowId) {
        Escrow e = store.find(escrowId);
        if (e.status == EscrowStatus.DISPUTED && e.resolveWinner != null) {
            buildRuling(escrowId);
        }
    }

    /**
     * Every watch interval: payouts whose transaction may be out (reported submitted, or whose signer may have
     * submitted without saying so before a crash) are looked for; an awaited signer past its deadline is said to be
     * overdue, once; a ruling whose winner has synced is built (after a restart too).
     */
    void watch() {
        for (Escrow e : store.open()) {
            try {
                if (e.status == EscrowStatus.DISPUTED) {
                    buildRuling(e.id);
                    continue;
                }
                if (lookForPayout(e).isPresent()) {
                    continue;
                }
                sayOverdue(e);
            } catch (RuntimeException ex) {
                Log.warnf("escrow %s: the payout watch failed (%s); again in %s", e.id, ex.getMessage(), funds.watchInterval());
            }
        }
    }

    /** A signer past its deadline, said once (span, file, log): by the watch, or by a re-issue that comes first. */
    private void sayOverdue(Escrow e) {
        if (e.payoutDeadline == null || !Instant.now().isAfter(e.payoutDeadline) || !store.overdue(e.id)) {
            return;
        }
        Span span = PayoutSpans.start(tracer, e.id, PayoutSpans.SIGNER_OVERDUE, e.payoutSigner, e.payoutEpoch)
                .setAttribute(ESCROW_OPERATION, e.payoutKind.operation()).setAttribute(PARTY_PAYOUT_SIGNER, e.payoutSigner)
                .setAttribute(PARTY_PAYOUT_SINCE, e.payoutStartedAt.toString()).setAttribute(PARTY_PAYOUT_DEADLINE, e.payoutDeadline.toString());
        span.setStatus(StatusCode.ERROR, "the " + e.payoutSigner + " has not signed the " + e.payoutKind.operation() + " since "
                + e.payoutStartedAt + " (deadline " + e.payoutDeadline + ")").end();
        Log.warnf("escrow %s: the %s has not signed the %s since %s", e.id, e.payoutSigner, e.payoutKind.operation(), e.payoutStartedAt);
    }

    /** Reads the builder's set with the arbiter's wallet, and hands it on or refuses it. */
    private PayoutTask check(Escrow e, PayoutKind kind, Role sender, Role signer, String address, int epoch, String txset) {
        String sha = Hashes.sha256Hex(txset);
        Span span = PayoutSpans.start(tracer, e.id, PayoutSpans.TXSET, sender.name(), epoch).setAttribute(ESCROW_OPERATION, kind.operation())
                .setAttribute(PARTY_PAYOUT_TXSET_SHA256, sha).setAttribute(PARTY_PAYOUT_EXPECTED_SHA256, Hashes.sha256Hex(address));
        try (Scope ignored = span.makeCurrent()) {
            Escrow current = e;
            Optional<String> refusal;
            Described d;
            try {
                record Read(Described described, Optional<String> refusal) {
                }
                Read read = arbiter.step(current, lease -> {
                    gateway.refresh(lease, Role.arbiter);
                    long balance = gateway.state(lease, Role.arbiter).balance();
                    Described described = gateway.describe(lease, Role.arbiter, txset);
                    Optional<String> why = TxSetCheck.refusal(described, address, kind.recipient.name(), balance);
                    if (why.isEmpty()) { // so the arbiter's wallet knows the key images and sees the payout leave
                        gateway.importInfo(lease, Role.arbiter, epochs.infos(current.id, epoch, List.of(Role.buyer, Role.vendor)));
                    }
                    return new Read(described, why);
                });
                d = read.described();
                refusal = read.refusal();
            } catch (GatewayCallFailed f) {
                if (f.status() == 422 || f.status() == 400) { // the wallet could not read it as this escrow's tx set
                    d = null;
                    refusal = Optional.of("the arbiter's wallet cannot read it as a transaction set of this escrow (" + f.getMessage() + ")");
                } else {
                    throw EscrowProblems.leaseFailed(e.id, "the arbiter's wallet could not read the transaction set: " + f.getMessage());
                }
            } catch (GatewayBusy busy) {
                throw EscrowProblems.busy(e.id, busy.getMessage(), busy.retryAfter());
            }
            if (d != null && TxSetCheck.destination(d) != null) {
                span.setAttribute(PARTY_PAYOUT_DESTINATION_SHA256, Hashes.sha256Hex(TxSetCheck.destination(d)));
            }
            if (refusal.isPresent()) {
                span.setAttribute(PARTY_PAYOUT_OUTCOME, "REFUSED").setAttribute(PARTY_PAYOUT_REASON, refusal.get())
                        .setStatus(StatusCode.ERROR, "the " + sender + "'s transaction set: " + refusal.get());
                Log.warnf("escrow %s: the %s's transaction set refused: %s", e.id, sender, refusal.get());
                int next = epochs.open(e.id, epoch, "a refused transaction set");
                throw PayoutProblems.refused(e.id, sender.name(), refusal.get(), next);
            }
            Instant deadline = Instant.now().plus(config.signTimeout());
            PartyPayoutStore.Proposal p = new PartyPayoutStore.Proposal(kind, address, txset, sha, epoch, signer.name(), deadline,
                    d.amountOut(), d.fee(), sender == Role.arbiter ? null : "party:" + sender);
            if (!store.proposed(e.id, p)) {
                throw PayoutProblems.wrongState(store.find(e.id), "a " + kind.operation());
            }
            span.setAttribute(PARTY_PAYOUT_OUTCOME, "ACCEPTED");
            PayoutSpans.start(tracer, e.id, PayoutSpans.SIGNATURE_AWAITED, signer.name(), epoch).setAttribute(ESCROW_OPERATION, kind.operation())
                    .setAttribute(PARTY_PAYOUT_SIGNER, signer.name()).setAttribute(PARTY_PAYOUT_DEADLINE, deadline.toString()).end();
            Log.infof("escrow %s: the %s's %s accepted (%d to the %s, fee %d); the %s signs by %s", e.id, sender, kind.operation(),
                    d.amountOut(), kind.recipient, d.fee(), signer, deadline);
            return task(store.find(e.id), sender);
        } finally {
            span.end();
        }
    }

    /** The ruling's payout, built and half-signed by the arbiter's wallet once the winner's export of the epoch is in. */
    private void buildRuling(String escrowId) {
        if (!running.add(escrowId)) {
            return;
        }
        try {
            Escrow e = store.find(escrowId);
            if (e.status != EscrowStatus.DISPUTED || e.resolveWinner == null || !e.resolveEpoch.equals(e.syncEpoch)) {
                return;
            }
            Role winner = Role.valueOf(e.resolveWinner);
            List<String> info = epochs.infos(e.id, e.resolveEpoch, List.of(winner));
            if (info.isEmpty()) {
                return; // built when the winner's export arrives
            }
            PayoutKind kind = PayoutKind.resolvingFor(winner);
            String address = winner == Role.buyer ? e.buyerPayoutAddress : e.vendorPayoutAddress;
            // The arbiter's wallet calls of the build are this span's children (and in the escrow's file); the span itself is
            // no step of its own: the check below is.
            Span span = tracer.spanBuilder("escrow.party.build").setAttribute(ESCROW_ID, e.id).setAttribute(ESCROW_OPERATION, kind.operation())
                    .setAttribute(ESCROW_ROLE, Role.arbiter.name()).startSpan();
            String txset;
            try (Scope ignored = span.makeCurrent()) {
                Swept swept = arbiter.step(e, lease -> {
                    gateway.refresh(lease, Role.arbiter);
                    gateway.importInfo(lease, Role.arbiter, info);
                    return gateway.sweep(lease, Role.arbiter, address);
                });
                txset = swept.multisigTxset();
            } catch (GatewayCallFailed | GatewayBusy f) {
                span.setStatus(StatusCode.ERROR, f.getMessage());
                Log.warnf("escrow %s: the arbiter's wallet could not build the ruling's payout: %s", e.id, f.getMessage());
                return;
            } finally {
                span.end();
            }
            check(e, kind, Role.arbiter, winner, address, e.resolveEpoch, txset);
        } catch (ProblemException p) {
            Log.warnf("escrow %s: the ruling's payout was not handed on: %s", escrowId, p.getMessage());
        } finally {
            running.remove(escrowId);
        }
    }

    /** The payout's transaction, if the arbiter's wallet sees one leave: then the escrow is paid, once. */
    private Optional<Escrow> lookForPayout(Escrow e) {
        if (e.status != EscrowStatus.PAYOUT_PENDING || !running.add(e.id)) {
            return Optional.empty();
        }
        try {
            List<TransferEntry> out = arbiter.step(e, lease -> {
                gateway.refresh(lease, Role.arbiter);
                return gateway.transfers(lease, Role.arbiter).transfers().stream().filter(t -> !t.incoming()).toList();
            });
            if (out.isEmpty()) {
                return Optional.empty();
            }
            List<String> hashes = out.stream().map(TransferEntry::txHash).distinct().toList();
            long amount = out.stream().mapToLong(TransferEntry::amount).sum();
            long fee = out.stream().mapToLong(TransferEntry::fee).sum();
            Escrow paid = store.paid(e.id, hashes, amount, fee);
            epochs.erase(e.id);
            Span span = tracer.spanBuilder(SpanNames.ESCROW_PAYOUT).setStartTimestamp(e.payoutStartedAt).setAttribute(ESCROW_ID, e.id)
                    .setAttribute(ESCROW_OPERATION, e.payoutKind.operation()).setAttribute(ESCROW_AMOUNT, e.amount)
                    .setAttribute(ESCROW_STATUS, paid.status.name()).setAttribute(AttributeKey.stringArrayKey(PAYOUT_TX_HASHES), hashes)
                    .setAttribute(PAYOUT_AMOUNT, amount).setAttribute(PAYOUT_FEE, fee).setAttribute(ESCROW_CUSTODY, "parties").startSpan();
            span.end();
            Log.infof("escrow %s %s: %d to the %s, fee %d (tx %s), signed by the %s", e.id, paid.status, amount, e.payoutKind.recipient,
                    fee, hashes, e.payoutSigner);
            return Optional.of(paid);
        } catch (GatewayCallFailed | GatewayBusy f) {
            Log.debugf("escrow %s: could not look for the payout yet (%s)", e.id, f.getMessage());
            return Optional.empty();
        } finally {
            running.remove(e.id);
        }
    }

    private ProblemException stale(String escrowId, int epoch, List<String> roles, PayoutKind kind, String what) {
        String reason = "the " + String.join(" and the ", roles) + " did not import epoch " + epoch + "'s infos before " + what;
        Span span = PayoutSpans.start(tracer, escrowId, PayoutSpans.STALE, roles.get(0), epoch).setAttribute(ESCROW_OPERATION, kind.operation())
                .setAttribute(PARTY_PAYOUT_STALE_ROLES, String.join(",", roles)).setAttribute(PARTY_PAYOUT_REASON, reason);
        span.setStatus(StatusCode.ERROR, reason).end();
        return PayoutProblems.stale(escrowId, epoch, roles, what);
    }

    private PayoutTask task(Escrow e, Role role) {
        if (e.payoutKind == null || e.payoutSigner == null && e.paidAt == null) {
            return PayoutTask.NONE;
        }
        boolean submitted = Boolean.TRUE.equals(e.payoutSubmitting);
        String state = e.paidAt != null ? "PAID" : submitted ? "SUBMITTED" : "AWAITING_SIGNATURE";
        boolean awaiting = state.equals("AWAITING_SIGNATURE");
        Role builder = e.payoutKind.builder == Role.arbiter ? Role.arbiter : PartyKinds.builder(e.payoutKind);
        return new PayoutTask(e.payoutKind.operation(), state, e.payoutEpoch, builder.name(), e.payoutSigner, e.payoutAddress,
                e.payoutAmount, e.payoutFee, awaiting && role.name().equals(e.payoutSigner) ? e.payoutTxset : null, e.payoutTxsetSha256,
                awaiting ? e.payoutSigner : null, e.payoutStartedAt, e.payoutDeadline,
                awaiting && e.payoutDeadline != null && Instant.now().isAfter(e.payoutDeadline),
                e.payoutTxHashes == null ? List.of() : List.of(e.payoutTxHashes.split(",")));
    }

    /** A READY escrow is checked for funds first, so the parties need not wait for the watcher. */
    private Escrow funded(Escrow e) {
        FundingCheck.requireEnabled(funds, e.id);
        if (e.status == EscrowStatus.READY) {
            funding.check(e);
            return store.find(e.id);
        }
        return e;
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a payout", e);
        }
    }
}
