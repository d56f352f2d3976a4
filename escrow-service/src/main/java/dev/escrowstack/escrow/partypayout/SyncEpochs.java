package dev.escrowstack.escrow.partypayout;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.parties.ArbiterWallet;
import dev.escrowstack.escrow.parties.PartiesConfig;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PartySync;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * The multisig info exchange a payout needs (docs/funds.md), in epochs: each participant's
 * {@code export_multisig_info} passes through here to the others, under the setup mailbox's rules (per escrow and
 * epoch, the first one counts, the same again is fine, a different one is a 409), and each says what it imported.
 * So the service knows, before anyone signs, who would sign on stale data. A new epoch opens at funding, at a
 * dispute, after a refused transaction set and at a re-issue; the arbiter's wallet exports first.
 */
@ApplicationScoped
public class SyncEpochs {

    private static final Duration POLL = Duration.ofMillis(200);

    public record SyncView(String escrowId, int epoch, boolean complete, List<String> infos, List<String> from, List<String> waitingFor) {
    }

    private final SyncStore store;
    private final WalletGateway gateway;
    private final PartiesConfig config;
    private final Tracer tracer;
    private final ArbiterWallet arbiter;

    public SyncEpochs(SyncStore store, WalletGateway gateway, PartiesConfig config, Tracer tracer,
            ArbiterWallet arbiter) {
        this.store = store;
        this.gateway = gateway;
        this.config = config;
        this.tracer = tracer;
        this.arbiter = arbiter;
    }

    /** The current epoch, opening the first one when the escrow holds funds and none is open yet. */
    public int current(Escrow e) {
        if (e.syncEpoch != null) {
            return e.syncEpoch;
        }
        if (e.status != EscrowStatus.FUNDED && e.status != EscrowStatus.DISPUTED) {
            throw PayoutProblems.noFunds(e);
        }
        return open(e.id, null, "the escrow is " + e.status);
    }

    /**
     * The epoch after {@code previous} (null: the first): the arbiter's wallet refreshes and exports, and its info
     * opens it. Another request may have opened it first; the epoch current afterwards is returned either way.
     */
    public int open(String escrowId, Integer previous, String why) {
        Escrow e = store.find(escrowId).orElseThrow(() -> EscrowProblems.notFound(escrowId));
        int epoch = previous == null ? 1 : previous + 1;
        Span span = PayoutSpans.start(tracer, escrowId, PayoutSpans.SYNC_OPENED, Role.arbiter.name(), epoch)
                .setAttribute(PARTY_PAYOUT_REASON, why);
        try (Scope ignored = span.makeCurrent()) {
            String info = arbiter.step(e, lease -> {
                gateway.refresh(lease, Role.arbiter);
                return gateway.export(lease, Role.arbiter).info();
            });
            boolean opened = store.open(escrowId, previous, epoch, info);
            span.setAttribute(PARTY_PAYOUT_OUTCOME, opened ? "NEW" : "SAME");
            if (opened) {
                Log.infof("escrow %s: sync epoch %d open (%s)", escrowId, epoch, why);
            }
            return store.find(escrowId).orElseThrow().syncEpoch;
        } catch (GatewayBusy busy) {
            span.setStatus(StatusCode.ERROR, busy.getMessage());
            throw EscrowProblems.busy(escrowId, busy.getMessage(), busy.retryAfter());
        } catch (GatewayCallFailed failed) {
            span.setStatus(StatusCode.ERROR, failed.getMessage());
            throw EscrowProblems.leaseFailed(escrowId, "the arbiter's wallet could not export its multisig info: " + failed.getMessage());
        } finally {
            span.end();
        }
    }

    /** {@code role}'s export for {@code epoch}: true when new (201), false when the same again (200). */
    public boolean submit(Escrow e, Role role, int epoch, String info) {
        if (info == null || info.isBlank()) {
            throw PayoutProblems.badInfo("info is required");
        }
        if (info.length() > config.maxSyncInfoLength() || !info.matches("[0-9a-f]+")) {
            throw PayoutProblems.badInfo("info is not an export_multisig_info of monero-wallet-rpc (hex, at most "
                    + config.maxSyncInfoLength() + " characters)");
        }
        int current = current(e);
        Span span = PayoutSpans.start(tracer, e.id, PayoutSpans.SYNC_EXPORT, role.name(), epoch)
                .setAttribute(PARTY_MESSAGE_SHA256, Hashes.sha256Hex(info)).setAttribute(PARTY_MESSAGE_SIZE, (long) info.length());
        try {
            SyncStore.Stored stored = epoch == current ? store.submit(e.id, epoch, role.name(), info) : null;
            if (stored == null) {
                Integer now = store.find(e.id).map(x -> x.syncEpoch).orElse(null);
                span.setStatus(StatusCode.ERROR, "epoch " + epoch + " is not current (" + now + ")");
                throw PayoutProblems.epochNotCurrent(e.id, epoch, now);
            }
            span.setAttribute(PARTY_PAYOUT_OUTCOME, stored.outcome().name());
            if (stored.outcome() == SyncStore.Outcome.DIFFERS) {
                span.setStatus(StatusCode.ERROR, "a different info for epoch " + epoch);
                throw PayoutProblems.infoDiffers(e.id, role.name(), epoch, stored.storedSha256(), Hashes.sha256Hex(info));
            }
            return stored.outcome() == SyncStore.Outcome.NEW;
        } finally {
            span.end();
        }
    }

    /** The others' exports of {@code epoch} for {@code role}, waiting up to {@code waitSeconds} for the ones it needs. */
    public SyncView view(String escrowId, Role role, int epoch, int waitSeconds) {
        long deadline = System.nanoTime() + Duration.ofSeconds(Math.max(0, Math.min(waitSeconds, config.maxWait().toSeconds()))).toNanos();
        while (true) {
            Escrow e = store.find(escrowId).orElseThrow();
            if (e.syncEpoch == null || e.syncEpoch != epoch) {
                throw PayoutProblems.epochNotCurrent(escrowId, epoch, e.syncEpoch);
            }
            List<PartySync> rows = store.epoch(escrowId, epoch);
            List<String> infos = new ArrayList<>();
            List<String> from = new ArrayList<>();
            for (PartySync s : rows) {
                if (!s.role.equals(role.name()) && s.info != null) {
                    infos.add(s.info);
                    from.add(s.role);
                }
            }
            List<String> waiting = needs(e, role).stream().map(Role::name).filter(r -> !from.contains(r)).toList();
            if (waiting.isEmpty() || System.nanoTime() >= deadline) {
                return new SyncView(escrowId, epoch, waiting.isEmpty(), infos, from, waiting);
            }
            sleep();
        }
    }

    /** {@code role} imported the others' infos of {@code epoch} named in {@code from}. */
    public void imported(Escrow e, Role role, int epoch, List<String> from, Integer nOutputs) {
        if (e.syncEpoch == null || e.syncEpoch != epoch) {
            throw PayoutProblems.epochNotCurrent(e.id, epoch, e.syncEpoch);
        }
        List<String> roles = from == null ? List.of() : from;
        if (roles.isEmpty() || !roles.stream().allMatch(r -> Role.parse(r).filter(x -> x != role).isPresent())) {
            throw ProblemException.badRequest("from must name the participants whose infos were imported (buyer, vendor, arbiter; not"
                    + " oneself)").with("field", "from");
        }
        Span span = PayoutSpans.start(tracer, e.id, PayoutSpans.SYNC_IMPORTED, role.name(), epoch)
                .setAttribute(PARTY_PAYOUT_REASON, "imported " + String.join(",", roles) + (nOutputs == null ? "" : ", " + nOutputs + " outputs"));
        try {
            if (!store.imported(e.id, epoch, role.name(), roles, nOutputs)) {
                span.setStatus(StatusCode.ERROR, "no export of its own for the epoch");
                throw new ProblemException(409, "export-first", "Export first", "the " + role + " has not sent its own info for epoch "
                        + epoch + ": the others need it to sign, so it comes first").with("escrow_id", e.id).with("epoch", epoch);
            }
        } finally {
            span.end();
        }
    }

    /** Whose infos {@code party} needs before a payout: the other party's on a release or refund, the arbiter's in a dispute. */
    static List<Role> needs(Escrow e, Role party) {
        boolean dispute = e.status == EscrowStatus.DISPUTED || e.status == EscrowStatus.PAYOUT_PENDING && e.payoutKind != null
                && e.payoutKind.from == EscrowStatus.DISPUTED;
        return List.of(dispute ? Role.arbiter : party == Role.buyer ? Role.vendor : Role.buyer);
    }

    /** Of {@code who} → {@code needsFrom} pairs, the ones that have not reported importing {@code needsFrom}'s info of {@code epoch}. */
    List<String> stale(String escrowId, int epoch, Map<Role, Role> whoNeedsWhom) {
        List<PartySync> rows = store.epoch(escrowId, epoch);
        List<String> stale = new ArrayList<>();
        whoNeedsWhom.forEach((who, from) -> {
            boolean done = rows.stream().anyMatch(s -> s.role.equals(who.name()) && s.imported().contains(from.name()));
            if (!done) {
                stale.add(who.name());
            }
        });
        return stale.stream().sorted().toList();
    }

    /** The infos of {@code epoch} from {@code roles}, in that order (those present). */
    List<String> infos(String escrowId, int epoch, List<Role> roles) {
        List<PartySync> rows = store.epoch(escrowId, epoch);
        List<String> infos = new ArrayList<>();
        for (Role r : roles) {
            rows.stream().filter(s -> s.role.equals(r.name()) && s.info != null).findFirst().ifPresent(s -> infos.add(s.info));
        }
        return infos;
    }

    List<PartySync> rows(String escrowId, int epoch) {
        return store.epoch(escrowId, epoch);
    }

    void erase(String escrowId) {
        store.erase(escrowId);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for an epoch", e);
        }
    }
}
