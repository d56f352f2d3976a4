package dev.escrowstack.analyzer.report;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.stream.Collectors;

import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Finding;
import dev.escrowstack.analyzer.diagnosis.Pattern;
import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/** The human-readable views: summary, timeline, RPC, snapshots, errors, diagnosis, comparison. */
public final class TextReport {

    private final PrintStream out;

    public TextReport(PrintStream out) {
        this.out = out;
    }

    public void header(EscrowFile file) {
        out.println("=== " + file.source() + " ===");
    }

    public void summary(EscrowFile file, List<RpcCall> calls) {
        long snapshots = file.events().stream().filter(Event::isSnapshot).count();
        long errors = file.events().stream().filter(e -> e.is(EventTypes.ERROR_FINAL) || e.is(EventTypes.RPC_CALL_ERROR)).count();
        long failed = calls.stream().filter(c -> !c.success()).count();
        out.println("Escrow " + file.escrowId() + ": " + file.status() + " after " + file.durationMs() + " ms — " + file.events().size()
                + " events: " + calls.size() + " wallet RPC calls (" + failed + " failed), " + snapshots + " snapshots, " + errors
                + " errors");
        Map<String, Long> roles = calls.stream().filter(c -> c.role() != null).collect(Collectors.groupingBy(c -> c.role() + " port "
                + c.port(), java.util.TreeMap::new, Collectors.counting()));
        if (!roles.isEmpty()) {
            out.println("Wallets: " + roles.entrySet().stream().map(e -> e.getKey() + " (" + e.getValue() + " calls)")
                    .collect(Collectors.joining(", ")));
        }
    }

    /**
     * Every event in file order, snapshots judged beside the others ({@code checks}, over all files read).
     * A round's STATE_CHANGE is stamped when the round starts; its duration is printed where the round ended.
     */
    public void timeline(EscrowFile file, SnapshotChecks checks) {
        PriorityQueue<Event> open = new PriorityQueue<>(Comparator.comparingLong(Rounds::end));
        for (Event e : file.events()) {
            // A round that ended before this event (or right where the next round starts) says so first.
            while (!open.isEmpty() && (Rounds.end(open.peek()) < e.timestamp()
                    || Rounds.isSpan(e) && Rounds.end(open.peek()) <= e.timestamp())) {
                roundEnded(file, open.poll());
            }
            out.println(Lines.of(file, e, checks.problem(e)));
            if (Rounds.isSpan(e) && e.number("duration_ms") != null) {
                open.add(e);
            }
        }
        while (!open.isEmpty()) {
            roundEnded(file, open.poll());
        }
    }

    private void roundEnded(EscrowFile file, Event span) {
        out.println("[+" + (Rounds.end(span) - file.start()) + "ms] " + Rounds.ended(span));
    }

    public void rpc(EscrowFile file, List<RpcCall> calls) {
        for (Event e : file.events()) {
            if (e.isRpc() && !e.is(EventTypes.RPC_CALL_START)) {
                out.println(Lines.of(file, e));
            }
        }
        out.println(String.format("%-26s %6s %7s %9s %8s", "method", "calls", "failed", "mean ms", "max ms"));
        for (Stats s : Stats.of(calls)) {
            out.println(String.format("%-26s %6d %7d %9d %8d", s.method(), s.calls(), s.failed(), s.meanMs(), s.maxMs()));
        }
    }

    /**
     * The snapshots, each ❌ when its own state is wrong for its point or when it disagrees with the
     * others ({@code checks}), then the skill's "role.address_hash:" lines for each point with a problem.
     */
    public void snapshots(EscrowFile file, SnapshotChecks checks) {
        List<Event> snaps = file.events().stream().filter(Event::isSnapshot).toList();
        if (snaps.isEmpty()) {
            out.println("No snapshots: was ENABLE_INSTRUMENTATION=1 set for escrow-service? (its log says \"Instrumentation ENABLED\")");
            return;
        }
        snaps.forEach(e -> out.println(Lines.of(file, e, checks.problem(e))));
        List<String> summary = checks.summary(file);
        if (!summary.isEmpty()) {
            out.println();
            summary.forEach(out::println);
        }
    }

    public void errors(EscrowFile file) {
        List<Event> errors = file.events().stream().filter(e -> e.is(EventTypes.RPC_CALL_ERROR) || e.is(EventTypes.ERROR_FINAL)
                || e.is(EventTypes.CACHE_POLLUTION_DETECTED) || e.isSnapshot() && e.text("error") != null
                || (e.is(EventTypes.RPC_CALL_END) || e.is(EventTypes.FILE_OPERATION) || e.is(EventTypes.PARTY_PAYOUT))
                        && Boolean.FALSE.equals(e.flag("success"))).toList();
        if (errors.isEmpty()) {
            out.println("No errors.");
        }
        errors.forEach(e -> out.println(Lines.of(file, e)));
    }

    public void diagnosis(Diagnosis d, int rpcCalls) {
        if (d.clean()) {
            out.println("Diagnosis: no problem found — " + rpcCalls + " wallet RPC calls, none failed; status " + d.status() + ".");
            return;
        }
        if (d.healed()) {
            out.println("Diagnosis: " + Pattern.HEALED.label() + " — status " + d.status() + ".");
            healed(d);
            return;
        }
        Finding f = d.primary();
        out.println("Diagnosis: " + f.pattern().label());
        if (f.pattern().partyPayout()) {
            // A payout the parties make has a party and an epoch, not a wallet of the service and a round.
            Object epoch = f.stateBefore() == null ? null : f.stateBefore().get("epoch");
            out.println("  Party:         " + (f.role() == null ? "?" : f.role()));
            out.println("  Payout:        " + f.operation() + (epoch == null ? "" : ", epoch " + epoch)
                    + (f.stateSource() == null ? "" : " (" + f.stateSource() + ")"));
        } else {
            out.println("  Wallet:        " + (f.role() == null ? "?" : f.role()) + (f.walletId() == null ? "" : " (" + f.walletId() + ")")
                    + (f.port() == null ? "" : ", wallet-rpc port " + f.port()));
            out.println("  Round:         " + (f.round() == null ? "?" : f.round()) + (f.operation() == null ? "" : ", at " + f.operation()));
            out.println("  State before:  " + (f.stateSource() == null ? "no snapshot (set ENABLE_INSTRUMENTATION=1 to record one)"
                    : f.stateSource() + " " + f.stateBefore()));
        }
        // The root cause above, where it showed here: under Pattern C they are different calls, even rounds.
        if (d.surfaced() != null) {
            out.println("  Surfaced:      " + d.surfaced().summary());
        }
        out.println("  Why:           " + f.cause());
        for (String line : f.evidence()) {
            out.println("    · " + line);
        }
        out.println("  Fix:           " + f.fix());
        out.println("  Rationale:     " + f.rationale());
        for (Finding other : d.findings()) {
            if (other != f && other.pattern() != Pattern.HEALED) {
                out.println("  Also seen:     " + other.pattern().label() + " — " + other.cause());
            }
        }
        healed(d);
    }

    /** Each abandoned attempt: what happened where, and the evidence (its wallets are not used again). */
    private void healed(Diagnosis d) {
        for (Finding h : d.healedAttempts()) {
            out.println("  Healed:        " + h.cause());
            for (String line : h.evidence()) {
                out.println("    · " + line);
            }
            if (d.healed()) {
                out.println("  Fix:           " + h.fix());
                out.println("  Rationale:     " + h.rationale());
            }
        }
    }

    /**
     * The skill's COMPARING view. Counts that differ are marked ≠ and, where the difference is in events the
     * comparison leaves out, say how many of them were left out; what was left out and why is said below.
     */
    public void comparison(Comparison c) {
        out.println("COMPARING: " + c.fileA() + " vs " + c.fileB());
        Map<String, Long> outA = c.leftOutA().stream().collect(Collectors.groupingBy(Event::type, Collectors.counting()));
        Map<String, Long> outB = c.leftOutB().stream().collect(Collectors.groupingBy(Event::type, Collectors.counting()));
        out.println(String.format("%-32s %8s %8s", "event type", "file 1", "file 2"));
        c.distribution().forEach((type, n) -> {
            long a = outA.getOrDefault(type, 0L);
            long b = outB.getOrDefault(type, 0L);
            out.println(String.format("%-32s %8d %8d%s", type, n[0], n[1], n[0] == n[1] ? ""
                    : "  ≠" + (a + b == 0 ? "" : " (left out: " + a + " and " + b + ")")));
        });
        boolean leftOut = !c.leftOutA().isEmpty() || !c.leftOutB().isEmpty();
        if (leftOut) {
            out.println("Left out: file 1: " + leftOut(c.leftOutA()) + "; file 2: " + leftOut(c.leftOutB()) + " — "
                    + Comparison.LEFT_OUT_WHY + ".");
        }
        out.println("Compared: " + Comparison.COMPARED + ".");
        if (c.divergenceIndex() == null) {
            boolean differ = c.distribution().values().stream().anyMatch(n -> n[0] != n[1]);
            out.println("No divergence: the " + c.compared() + " compared events are the same, in the same order"
                    + (differ ? "; the counts marked ≠ differ only by the left-out calls." : "."));
            return;
        }
        out.println("Divergence at event #" + c.divergenceIndex() + " (of the compared events, in that order; " + c.compared()
                + " matched before it)");
        out.println("File 1: " + describe(c.divergedA()));
        out.println("File 2: " + describe(c.divergedB()));
    }

    /** "3 calls (open_wallet ×2, create_wallet ×1)", or "nothing". */
    private static String leftOut(List<Event> events) {
        Map<String, Integer> calls = Comparison.callsByMethod(events);
        if (calls.isEmpty()) {
            return "nothing";
        }
        int total = calls.values().stream().mapToInt(Integer::intValue).sum();
        return total + " call" + (total == 1 ? "" : "s") + " (" + calls.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
                .collect(Collectors.joining(", ")) + ")";
    }

    private static String describe(Event e) {
        if (e == null) {
            return "(no more events)";
        }
        return "[" + e.type() + "] role=" + (e.role() == null ? EventTypes.NO_WALLET_ROLE : e.role()) + (e.method() == null ? "" : " method=" + e.method())
                + (e.text("error") == null ? "" : " error=\"" + e.text("error") + "\"") + "  (file event #" + e.index() + ")";
    }
}
