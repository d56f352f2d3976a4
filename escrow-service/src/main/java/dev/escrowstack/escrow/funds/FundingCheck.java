package dev.escrowstack.escrow.funds;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.GatewayModels.TransferEntry;
import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.escrow.client.HeldLease;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.funds.FundingStatus.Observation;
import dev.escrowstack.escrow.funds.FundingStatus.State;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.escrow.setup.Snapshots;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;

/**
 * One funding check, for GET /api/escrow/{id}/funding and the watcher alike: lease the escrow's arbiter
 * wallet (by id, under the escrow's name, so its calls land in the escrow's file), refresh it against the
 * daemon, read its incoming transfers and balance, record them, and move READY to FUNDED when the amount
 * is there with the configured confirmations.
 */
@ApplicationScoped
public class FundingCheck {

    private static final Role ROLE = Role.arbiter;

    private final WalletGateway gateway;
    private final FundingStore store;
    private final Snapshots snapshots;
    private final Tracer tracer;
    private final FundsConfig config;

    public FundingCheck(WalletGateway gateway, FundingStore store, Snapshots snapshots, Tracer tracer, FundsConfig config) {
        this.gateway = gateway;
        this.store = store;
        this.snapshots = snapshots;
        this.tracer = tracer;
        this.config = config;
    }

    public FundingStatus check(Escrow escrow) {
        requireEnabled(config, escrow.id);
        if (escrow.status == EscrowStatus.INITIALIZING || escrow.status == EscrowStatus.FAILED) {
            throw new ProblemException(409, "escrow-not-ready", "Escrow not ready",
                    "escrow " + escrow.id + " is " + escrow.status + ": only a READY escrow has a multisig address to fund")
                    .with("escrow_id", escrow.id).with("escrow_status", escrow.status.name());
        }
        if (!escrow.status.holdsFunds()) {
            return lastSeen(escrow); // paid out, or paying out: the wallet is (being) emptied, its history is what counts
        }
        Span span = tracer.spanBuilder(SpanNames.ESCROW_FUNDING).setAttribute(ESCROW_ID, escrow.id).startSpan();
        try (Scope ignored = span.makeCurrent()) {
            Observation seen;
            WalletState wallet;
            // lease() answers its own failures as problems: the catch below is the wallet failing to sync.
            try (HeldLease held = lease(escrow)) {
                Lease lease = held.lease();
                gateway.refresh(lease, ROLE);
                List<TransferEntry> transfers = gateway.transfers(lease, ROLE).transfers();
                wallet = gateway.state(lease, ROLE);
                seen = Observation.of(transfers, wallet.unlockedBalance(), config.confirmations());
            } catch (GatewayCallFailed failed) {
                span.setStatus(StatusCode.ERROR, failed.getMessage());
                throw new ProblemException(502, "funding-unknown", "Funding unknown", "the escrow's wallet could not sync with the"
                        + " daemon: " + failed.getMessage()).with("escrow_id", escrow.id);
            }
            State state = seen.state(escrow.amount);
            boolean moved = store.observed(escrow.id, seen, state.funded(), nextCheck(escrow, seen));
            span.setAttribute(ESCROW_RECEIVED, seen.received()).setAttribute(ESCROW_CONFIRMATIONS, seen.confirmations())
                    .setAttribute(ESCROW_FUNDING_STATE, state.name());
            String status = escrow.status.name();
            if (moved) {
                status = EscrowStatus.FUNDED.name();
                span.setAttribute(ESCROW_STATUS, status);
                snapshots.record(Map.of(ROLE, wallet), EventTypes.SNAPSHOT_FUNDED);
                Log.infof("escrow %s FUNDED: %d received (%d expected), %d confirmations", escrow.id, seen.received(), escrow.amount,
                        seen.confirmations());
            }
            return new FundingStatus(escrow.id, escrow.multisigAddress, escrow.amount, seen.received(), seen.unlocked(),
                    seen.confirmations(), config.confirmations(), Math.max(0, seen.received() - escrow.amount), state, status,
                    Instant.now());
        } finally {
            span.end();
        }
    }

    /** A fresh escrow is looked at every interval; an old unfunded one every tenth of its age, up to the cap. */
    Instant nextCheck(Escrow escrow, Observation seen) {
        return Instant.now().plus(seen.received() > 0 ? config.watchInterval() : backoff(escrow));
    }

    Duration backoff(Escrow escrow) {
        Duration tenthOfAge = Duration.between(escrow.createdAt, Instant.now()).dividedBy(10);
        Duration atLeast = tenthOfAge.compareTo(config.watchInterval()) < 0 ? config.watchInterval() : tenthOfAge;
        return atLeast.compareTo(config.maxBackoff()) > 0 ? config.maxBackoff() : atLeast;
    }

    private HeldLease lease(Escrow escrow) {
        try {
            return gateway.acquire(escrow.id, escrow.gateway, List.of(ROLE), Map.of(ROLE, escrow.arbiterWalletId), config.leaseTtl(), config.leaseWait());
        } catch (GatewayBusy busy) {
            throw EscrowProblems.busy(escrow.id, busy.getMessage(), busy.retryAfter());
        } catch (GatewayCallFailed failed) {
            throw EscrowProblems.leaseFailed(escrow.id, failed.getMessage());
        }
    }

    private FundingStatus lastSeen(Escrow e) {
        long received = e.received == null ? 0 : e.received;
        Observation seen = new Observation(received, received, e.unlocked == null ? 0 : e.unlocked,
                e.confirmations == null ? 0 : e.confirmations);
        return new FundingStatus(e.id, e.multisigAddress, e.amount, received, seen.unlocked(), seen.confirmations(),
                config.confirmations(), Math.max(0, received - e.amount), seen.state(e.amount), e.status.name(), e.fundingCheckedAt);
    }

    /** 409 unless the wallets run against a daemon: offline wallets would report every escrow as unfunded. */
    public static void requireEnabled(FundsConfig config, String escrowId) {
        if (!config.enabled()) {
            throw new ProblemException(409, "funds-disabled", "Funds path disabled", "the wallets run offline, so they cannot see"
                    + " funds: start the stack with a daemon (MONEROD=regtest ./stack up) or set ESCROW_FUNDS_ENABLED=true when"
                    + " wallet-gateway has GATEWAY_POOL_DAEMON_ADDRESS").with("escrow_id", escrowId);
        }
    }
}
