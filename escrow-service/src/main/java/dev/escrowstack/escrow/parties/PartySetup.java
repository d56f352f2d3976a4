package dev.escrowstack.escrow.parties;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.escrow.client.HeldLease;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.PartyMessage;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.escrow.setup.FailureDiagnosis;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The service's side of a non-custodial setup (docs/parties.md): the arbiter's wallet, leased from the
 * gateway for one step at a time, plays its part as soon as a round is complete — make_multisig when
 * round 1 is, the two exchanges after rounds 2 and 3 — and when all three addresses are in, the escrow
 * is READY if they agree and the arbiter's wallet is a ready 2-of-3 wallet, else FAILED naming who
 * differs. Steps run in the background, so a party's submission is answered at once.
 */
@ApplicationScoped
public class PartySetup {

    static final int THRESHOLD = 2;

    /** A started escrow and its parties' tokens, shown this once. */
    public record Started(Escrow escrow, Map<Role, String> tokens) {
    }

    private final PartyStore store;
    private final WalletGateway gateway;
    private final Tracer tracer;
    private final ArbiterWallet arbiter;
    private final PartiesConfig config;
    private final PartyDiagnoses diagnoses;
    private final ObjectMapper json;
    private final ExecutorService steps;
    /** Escrows whose arbiter step runs here now: one at a time per escrow. */
    private final Set<String> running = ConcurrentHashMap.newKeySet();

    public PartySetup(PartyStore store, WalletGateway gateway, Tracer tracer, PartiesConfig config, PartyDiagnoses diagnoses,
            ObjectMapper json, ArbiterWallet arbiter) {
        this.store = store;
        this.gateway = gateway;
        this.tracer = tracer;
        this.config = config;
        this.diagnoses = diagnoses;
        this.json = json;
        this.arbiter = arbiter;
        this.steps = Context.taskWrapping(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "arbiter-step");
            t.setDaemon(true);
            return t;
        }));
    }

    /**
     * Custody PARTIES at init: a fresh arbiter wallet, its prepare_multisig (round 1's first message), and
     * a token per party. On the current span (escrow.init).
     */
    public Started start(Escrow escrow) {
        Map<Role, String> tokens = new EnumMap<>(Role.class);
        Map<Role, String> hashes = new EnumMap<>(Role.class);
        for (Role party : List.of(Role.buyer, Role.vendor)) {
            tokens.put(party, PartyTokens.newToken());
            hashes.put(party, PartyTokens.hash(tokens.get(party)));
        }
        try (HeldLease held = gateway.acquire(escrow.id, null, List.of(Role.arbiter), Map.of(), config.leaseTtl(), config.leaseWait())) {
            Lease lease = held.lease();
            String info = gateway.prepare(lease, Role.arbiter).multisigInfo();
            Span sent = MessageSpans.start(tracer, escrow.id, Role.arbiter.name(), 1, info);
            Escrow started;
            try {
                started = store.awaitParties(escrow.id, hashes, lease.gateway(), lease.walletIds().get(Role.arbiter), info,
                        config.roundTimeout());
                sent.setAttribute(PARTY_MESSAGE_SHA256, Hashes.sha256Hex(info)).setAttribute(PARTY_MESSAGE_OUTCOME,
                        PartyStore.Outcome.NEW.name());
            } finally {
                sent.end();
            }
            Log.infof("escrow %s AWAITING_PARTIES: the arbiter's wallet %s is prepared; round 1 open until %s", escrow.id,
                    started.arbiterWalletId, started.roundDeadline);
            return new Started(started, tokens);
        } catch (GatewayBusy busy) {
            store.failed(escrow.id, 0, null, "lease", busy.getMessage(), null);
            throw EscrowProblems.busy(escrow.id, busy.getMessage(), busy.retryAfter());
        } catch (GatewayCallFailed failed) {
            store.failed(escrow.id, 1, Role.arbiter.name(), failed.operation(), failed.getMessage(), null);
            throw EscrowProblems.leaseFailed(escrow.id, failed.getMessage());
        }
    }

    /** A submission completed {@code round}: the arbiter's next step (or the agreement) runs in the background. */
    void completed(String escrowId, int round) {
        steps.submit(() -> advance(escrowId, round));
    }

    /** After a restart: a step that was running when the service stopped is started again. */
    void resume(@Observes StartupEvent event) {
        for (Escrow e : store.awaiting()) {
            int complete = 0;
            for (int round = 1; round <= PartyMessage.ADDRESS_ROUND; round++) {
                if (store.round(e.id, round).size() == Role.ALL.size()) {
                    complete = round;
                }
            }
            if (complete > 0) {
                completed(e.id, complete);
            }
        }
    }

    private void advance(String escrowId, int completed) {
        if (!running.add(escrowId)) {
            steps.submit(() -> advance(escrowId, completed)); // the escrow's previous step is still on: after it
            return;
        }
        try {
            if (completed == PartyMessage.ADDRESS_ROUND) {
                agree(escrowId);
            } else if (store.round(escrowId, completed + 1).stream().noneMatch(m -> m.role.equals(Role.arbiter.name()))) {
                arbiterStep(escrowId, completed + 1);
            }
        } catch (ProblemException ended) { // the setup ended (FAILED by a party's message or its deadline) while the step ran
            Log.debugf("escrow %s: the arbiter's step after round %d not recorded: %s", escrowId, completed, ended.getMessage());
        } catch (RuntimeException e) {
            Log.warnf("escrow %s: the arbiter's step after round %d failed: %s", escrowId, completed, e.toString());
        } finally {
            running.remove(escrowId);
        }
    }

    /**
     * Round {@code round}'s arbiter message: make_multisig (2), the first exchange (3), or the second, whose
     * answer is the arbiter's address (4), each on the other two participants' messages of the round before.
     */
    private void arbiterStep(String escrowId, int round) {
        Escrow e = store.find(escrowId).orElseThrow();
        List<String> infos = store.round(escrowId, round - 1).stream().filter(m -> !m.role.equals(Role.arbiter.name()))
                .map(m -> m.info).sorted().toList();
        String operation = round == 2 ? "make_multisig" : "exchange_multisig_keys";
        Span span = tracer.spanBuilder(SpanNames.ESCROW_ROUND).setAttribute(ESCROW_ID, escrowId).setAttribute(ESCROW_ROUND, (long) round)
                .setAttribute(ESCROW_OPERATION, operation).setAttribute(ESCROW_ROLE, Role.arbiter.name()).startSpan();
        try (Scope s = span.makeCurrent()) {
            String message = arbiter.step(e, lease -> switch (round) {
                // monero-wallet-rpc 0.18 keeps prepare_multisig's enable_multisig_experimental in memory only, and the
                // wallet was closed since: without it again, make_multisig writes the keys file with multisig disabled
                // and every later multisig call is refused. prepare_multisig is a read of the keys (the new round-1
                // message it answers is not used); make_multisig then persists the setting.
                case 2 -> {
                    gateway.prepare(lease, Role.arbiter);
                    yield gateway.make(lease, Role.arbiter, infos, THRESHOLD).multisigInfo();
                }
                case 3 -> gateway.exchange(lease, Role.arbiter, infos).multisigInfo();
                default -> gateway.exchange(lease, Role.arbiter, infos).address();
            });
            PartyStore.Submitted done;
            Span sent = MessageSpans.start(tracer, escrowId, Role.arbiter.name(), round, message);
            try {
                done = store.submit(escrowId, Role.arbiter.name(), round, message, config.roundTimeout());
                MessageSpans.stored(sent, done);
            } finally {
                sent.end();
            }
            if (done.completed() > 0) {
                completed(escrowId, done.completed());
            }
        } catch (GatewayCallFailed | GatewayBusy f) {
            span.setStatus(StatusCode.ERROR, f.getMessage());
            fail(escrowId, round, Role.arbiter.name(), operation, "the arbiter's wallet: " + f.getMessage());
        } finally {
            span.end();
        }
    }

    /** All three addresses are in: READY when they agree and the arbiter's wallet is a ready 2-of-3 on it. */
    private void agree(String escrowId) {
        Escrow e = store.find(escrowId).orElseThrow();
        Map<String, String> addresses = store.round(escrowId, PartyMessage.ADDRESS_ROUND).stream()
                .collect(Collectors.toMap(m -> m.role, m -> m.info));
        String arbiters = addresses.get(Role.arbiter.name());
        List<String> differ = Role.ALL.stream().map(Role::name).filter(r -> !addresses.get(r).equals(arbiters)).toList();
        if (!differ.isEmpty()) {
            fail(escrowId, PartyMessage.ADDRESS_ROUND, differ.get(0), "address", "the " + String.join(" and ", differ)
                    + " reported a multisig address other than the arbiter's wallet computed (" + arbiters + "): "
                    + (differ.size() == 1 ? "it" : "they") + " did not get, or did not use, the infos the others exchanged");
            return;
        }
        WalletState state;
        try {
            state = arbiter.step(e, lease -> gateway.state(lease, Role.arbiter));
        } catch (GatewayCallFailed | GatewayBusy f) {
            fail(escrowId, PartyMessage.ADDRESS_ROUND, Role.arbiter.name(), "state", "the arbiter's wallet: " + f.getMessage());
            return;
        }
        if (!state.isMultisig() || !state.ready() || state.threshold() != THRESHOLD || state.total() != Role.ALL.size()
                || !arbiters.equals(state.address())) {
            fail(escrowId, PartyMessage.ADDRESS_ROUND, Role.arbiter.name(), "verify", "the arbiter's wallet is not a ready 2-of-3"
                    + " wallet on the agreed address (multisig=" + state.isMultisig() + ", ready=" + state.ready() + ", "
                    + state.threshold() + "/" + state.total() + ")");
            return;
        }
        long durationMs = Duration.between(e.createdAt, Instant.now()).toMillis();
        store.ready(escrowId, arbiters, durationMs);
        outcome(escrowId, "READY").end();
        Log.infof("escrow %s READY at %s: the buyer, the vendor and the arbiter agree (%d ms)", escrowId, arbiters, durationMs);
    }

    /** FAILED, with where and why and the analyzer's diagnosis of it; the infos are erased. */
    void fail(String escrowId, int round, String role, String operation, String error) {
        FailureDiagnosis diagnosis = diagnoses.diagnose(escrowId, round, role, operation, error);
        if (store.failed(escrowId, round, role, operation, error, diagnosis.toJson(json))) {
            Span span = outcome(escrowId, "FAILED").setAttribute(ESCROW_ROUND, (long) round).setAttribute(ESCROW_OPERATION, operation);
            if (role != null) {
                span.setAttribute(ESCROW_ROLE, role);
            }
            diagnosis.onSpan(span);
            span.setStatus(StatusCode.ERROR, operation + ": " + error).end();
            Log.warnf("escrow %s FAILED in round %d%s at %s: %s", escrowId, round, role == null ? "" : ", " + role, operation, error);
        }
    }

    /** The setup's end as a span of the escrow (trace-exporter: its state change and, failed, ERROR_FINAL); the caller ends it. */
    private Span outcome(String escrowId, String status) {
        return tracer.spanBuilder(SpanNames.ESCROW_PARTIES_OUTCOME).setAttribute(ESCROW_ID, escrowId).setAttribute(ESCROW_STATUS, status)
                .startSpan();
    }

    @PreDestroy
    void stop() {
        steps.shutdownNow();
    }
}
