package dev.escrowstack.escrow.setup;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.fault.FaultInjection;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The 2-of-3 multisig setup on three leased wallets, the three wallets in parallel within a round:
 * round 1 prepare then make_multisig (each wallet gets the OTHER two infos, sorted), round 2 and 3
 * exchange_multisig_keys, then a check that all three report the same address and ready. Each round
 * is a span and has its own deadline; the first failure stops the setup and says where.
 */
@ApplicationScoped
public class MultisigSetup {

    static final int THRESHOLD = 2;
    static final int VERIFY_ROUND = 4;

    public record Result(String address, Map<Role, String> walletIds) {
    }

    private final WalletGateway gateway;
    private final Snapshots snapshots;
    private final Tracer tracer;
    private final FaultInjection faults;
    private final Duration roundTimeout;
    /** Spans and baggage (escrow.round) follow each call onto the pool's threads. */
    private final ExecutorService calls;

    public MultisigSetup(WalletGateway gateway, Snapshots snapshots, Tracer tracer, EscrowConfig config, FaultInjection faults) {
        this.faults = faults;
        this.gateway = gateway;
        this.snapshots = snapshots;
        this.tracer = tracer;
        this.roundTimeout = config.setup().roundTimeout();
        this.calls = Context.taskWrapping(Executors.newFixedThreadPool(config.setup().walletCallThreads(), r -> {
            Thread t = new Thread(r, "wallet-call");
            t.setDaemon(true);
            return t;
        }));
    }

    /**
     * With instrumentation on, the skill's seven snapshot points for each wallet: before round 1; after
     * make_multisig (= before round 2); after the first exchange, where round-2 infos are exported
     * (= before round 3); after the second exchange, where they are imported (= final, the verify read).
     * Each is taken on the wallet's own call right next to its step, so it adds one state read to that
     * wallet's path and no wait for the others.
     */
    public Result run(String escrowId, Lease lease) {
        SetupJournal journal = new SetupJournal(escrowId, lease);
        try {
            return run(escrowId, lease, journal);
        } catch (SetupFailed f) {
            throw f.with(journal);
        }
    }

    private Result run(String escrowId, Lease lease, SetupJournal journal) {
        Map<Role, String> prepared = round(escrowId, 1, "prepare_multisig", role -> {
            snapshot(journal, role, snapshots.take(lease, role, EventTypes.SNAPSHOT_PRE_ROUND1), EventTypes.SNAPSHOT_PRE_ROUND1);
            return call(journal, role, "prepare_multisig", 1, List.of(), () -> gateway.prepare(lease, role).multisigInfo());
        });
        Map<Role, String> made = round(escrowId, 1, "make_multisig", role -> {
            List<String> infos = faults.infosFor("make_multisig", role, prepared, others(prepared, role));
            String info = call(journal, role, "make_multisig", 1, infos, () -> gateway.make(lease, role, infos, THRESHOLD).multisigInfo());
            snapshot(journal, role, snapshots.take(lease, role, EventTypes.SNAPSHOT_POST_MAKE_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND2),
                    EventTypes.SNAPSHOT_POST_MAKE_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND2);
            return info;
        });
        Map<Role, String> exchanged = round(escrowId, 2, "exchange_multisig_keys", role -> {
            List<String> infos = others(made, role);
            String info = call(journal, role, "exchange_multisig_keys", 2, infos, () -> gateway.exchange(lease, role, infos).multisigInfo());
            snapshot(journal, role, snapshots.take(lease, role, EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND3),
                    EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND3);
            return info;
        });
        Map<Role, String> addresses = round(escrowId, 3, "exchange_multisig_keys", role -> {
            List<String> infos = others(exchanged, role);
            // Round 3's answer is the address, not an info: nothing for a later step to check against.
            String[] address = new String[1];
            call(journal, role, "exchange_multisig_keys", 3, infos, () -> {
                address[0] = gateway.exchange(lease, role, infos).address();
                return "";
            });
            return address[0];
        });
        Map<Role, WalletState> states = round(escrowId, VERIFY_ROUND, "state", role -> gateway.state(lease, role));
        snapshots.record(states, EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG, EventTypes.SNAPSHOT_FINAL);
        states.forEach((role, state) -> journal.snapshot(role, state, EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG, EventTypes.SNAPSHOT_FINAL));
        String address = verify(addresses, states);
        return new Result(address, lease.walletIds());
    }

    /** One wallet call, in the journal with the hashes of what went in and came out. */
    private static String call(SetupJournal journal, Role role, String method, int round, List<String> inputs, Supplier<String> call) {
        SetupJournal.Call recorded = journal.call(role, method, round, inputs);
        try {
            String info = call.get();
            recorded.ok(info == null || info.isEmpty() ? null : Hashes.sha256Hex(info));
            return info;
        } catch (GatewayCallFailed g) {
            recorded.failed(g.getMessage(), g.walletErrorCode(), g.port());
            throw g;
        } catch (RuntimeException e) {
            recorded.failed(String.valueOf(e.getMessage()), null, null);
            throw e;
        }
    }

    private static void snapshot(SetupJournal journal, Role role, WalletState state, String... points) {
        if (state != null) {
            journal.snapshot(role, state, points);
        }
    }

    /** The OTHER two participants' infos in a canonical (sorted) order, so every wallet sees the same set. */
    static List<String> others(Map<Role, String> infos, Role role) {
        return infos.entrySet().stream().filter(e -> !e.getKey().equals(role)).map(Map.Entry::getValue).sorted().toList();
    }

    /** All three wallets must be ready multisig wallets on the address round 3 gave. */
    static String verify(Map<Role, String> addresses, Map<Role, WalletState> states) {
        Map<String, Long> votes = addresses.values().stream().collect(Collectors.groupingBy(a -> a, Collectors.counting()));
        String address = votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        for (Role role : Role.ALL) {
            WalletState s = states.get(role);
            if (address.isEmpty() || !address.equals(addresses.get(role)) || !address.equals(s.address())) {
                throw new SetupFailed(3, role, "verify", 0, null, "the " + role + " wallet reports address "
                        + s.address() + " but the majority have " + address + ": state divergence");
            }
            if (!s.isMultisig() || !s.ready() || s.threshold() != THRESHOLD || s.total() != Role.ALL.size()) {
                throw new SetupFailed(3, role, "verify", 0, null, "the " + role + " wallet is not a ready 2-of-3 wallet"
                        + " (multisig=" + s.isMultisig() + ", ready=" + s.ready() + ", " + s.threshold() + "/" + s.total() + ")");
            }
        }
        return address;
    }

    private <T> Map<Role, T> round(String escrowId, int round, String operation, Function<Role, T> step) {
        Span span = tracer.spanBuilder(SpanNames.ESCROW_ROUND)
                .setAttribute(ESCROW_ID, escrowId)
                .setAttribute(ESCROW_ROUND, (long) round)
                .setAttribute(ESCROW_OPERATION, operation)
                .startSpan();
        Baggage baggage = Baggage.current().toBuilder().put(ESCROW_ROUND, Integer.toString(round)).put(ESCROW_ID, escrowId).build();
        try (Scope s = span.makeCurrent(); Scope b = baggage.makeCurrent()) {
            Map<Role, Future<T>> running = new EnumMap<>(Role.class);
            for (Role role : Role.ALL) {
                running.put(role, calls.submit(() -> step.apply(role)));
            }
            long deadline = System.nanoTime() + roundTimeout.toNanos();
            Map<Role, T> results = new EnumMap<>(Role.class);
            SetupFailed first = null;
            // Every call of the round is waited for (within its deadline), not only up to the first failure: when
            // several wallets fail, the diagnosis names them all instead of whichever was looked at first.
            for (Map.Entry<Role, Future<T>> e : running.entrySet()) {
                try {
                    results.put(e.getKey(), await(e.getKey(), e.getValue(), deadline, round, operation, running));
                } catch (SetupFailed f) {
                    if (f.timedOut()) {
                        throw first != null ? first : f;
                    }
                    first = first == null ? f : first;
                }
            }
            if (first != null) {
                throw first;
            }
            return results;
        } catch (SetupFailed f) {
            span.setAttribute(ESCROW_ROLE, f.role().name());
            span.recordException(f);
            span.setStatus(StatusCode.ERROR, f.getMessage());
            throw f;
        } finally {
            span.end();
        }
    }

    private <T> T await(Role role, Future<T> call, long deadline, int round, String operation, Map<Role, Future<T>> all) {
        try {
            return call.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            all.values().forEach(f -> f.cancel(true));
            throw new SetupFailed(round, role, operation, 0, null,
                    operation + " on the " + role + " wallet did not finish within the round's " + roundTimeout.toSeconds() + " s")
                    .timedOut(true);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GatewayCallFailed g) {
                throw new SetupFailed(round, role, operation, g.status(), g.walletErrorCode(), g.getMessage()).problemType(g.type());
            }
            throw new SetupFailed(round, role, operation, 0, null, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SetupFailed(round, role, operation, 0, null, "interrupted");
        }
    }

    @PreDestroy
    void stop() {
        calls.shutdownNow();
    }
}
