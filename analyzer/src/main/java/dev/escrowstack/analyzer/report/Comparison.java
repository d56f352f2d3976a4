package dev.escrowstack.analyzer.report;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * The skill's --compare: event-type distribution of two escrows and the first event where they part.
 * The three wallets run in parallel, so two clean escrows interleave their roles differently; events are
 * compared in a canonical order (by round, then role, then time), so only real differences diverge.
 * {@code compared}: the events that matched, in that order, before the divergence (all of them when there is none);
 * {@code leftOutA}/{@code leftOutB}: each file's events that were not compared ({@link #LEFT_OUT_WHY}).
 */
public record Comparison(String fileA, String fileB, Map<String, int[]> distribution, Integer divergenceIndex, Event divergedA,
        Event divergedB, int compared, List<Event> leftOutA, List<Event> leftOutB) {

    /** Why the lease's wallet calls are not compared, for the views to say. */
    public static final String LEFT_OUT_WHY = "the wallet calls wallet-gateway makes while granting the lease (create_wallet,"
            + " open_wallet, close_wallet, store before round 1) depend on the state of the wallet pool, not on the escrow";

    /** What is compared of each event: type, role, method, a snapshot's multisig flag, a state's name. */
    public static final String COMPARED = "event type, role, method, a snapshot's multisig flag and a state's name, in canonical"
            + " order (by round, then role) — not times, durations, ports, wallet ids or hashes";

    private static final List<String> ROLES = List.of("buyer", "vendor", "arbiter");

    public static Comparison of(EscrowFile a, EscrowFile b) {
        Map<String, int[]> distribution = new TreeMap<>();
        a.events().forEach(e -> distribution.computeIfAbsent(e.type(), t -> new int[2])[0]++);
        b.events().forEach(e -> distribution.computeIfAbsent(e.type(), t -> new int[2])[1]++);
        List<Event> ca = canonical(a);
        List<Event> cb = canonical(b);
        List<Event> leftOutA = leftOut(a, ca);
        List<Event> leftOutB = leftOut(b, cb);
        for (int i = 0; i < Math.max(ca.size(), cb.size()); i++) {
            Event x = i < ca.size() ? ca.get(i) : null;
            Event y = i < cb.size() ? cb.get(i) : null;
            if (x == null || y == null || !key(x).equals(key(y))) {
                return new Comparison(a.source(), b.source(), distribution, i + 1, x, y, i, leftOutA, leftOutB);
            }
        }
        return new Comparison(a.source(), b.source(), distribution, null, null, null, ca.size(), leftOutA, leftOutB);
    }

    /** The left-out calls of one side by method, counted by call (their END or ERROR event): {"open_wallet": 3}. */
    public static Map<String, Integer> callsByMethod(List<Event> leftOut) {
        Map<String, Integer> calls = new TreeMap<>();
        leftOut.stream().filter(e -> !e.is(EventTypes.RPC_CALL_START))
                .forEach(e -> calls.merge(String.valueOf(e.method()), 1, Integer::sum));
        return calls;
    }

    private static List<Event> leftOut(EscrowFile file, List<Event> compared) {
        Set<Event> kept = Collections.newSetFromMap(new IdentityHashMap<>());
        kept.addAll(compared);
        return file.events().stream().filter(e -> !kept.contains(e)).toList();
    }

    /** What must match: type, the wallet's role, method, and for snapshots whether the wallet was multisig. */
    private static String key(Event e) {
        return e.type() + "|" + (wallet(e) ? e.role() : "") + "|" + Objects.toString(e.method(), "") + "|"
                + (e.isSnapshot() ? String.valueOf(e.multisig()) : "") + "|" + (e.is(EventTypes.STATE_CHANGE) ? e.text("state") : "");
    }

    /**
     * Wallet calls the gateway makes while granting the lease (a spare created, a parked wallet swapped):
     * they depend on the state of the pool, not on the escrow, and are left out of the comparison.
     */
    private static final Set<String> PROVISIONING = Set.of("create_wallet", "open_wallet", "close_wallet", "store");

    /**
     * An event of one of the three wallets. Others — no role, or a role such as "coordinator" that the
     * skill's format gives events of no wallet — sort after the wallets' by type.
     */
    private static boolean wallet(Event e) {
        return e.role() != null && ROLES.contains(e.role());
    }

    /**
     * Phases split where a round (or the setup) starts; within a phase, each role's calls in time order,
     * then its snapshots (stamped by escrow-service, they may share a millisecond with the gateway's call
     * they follow), then the events without a role (lease, final state, error) by type, since those can
     * share a millisecond in either order.
     */
    private static List<Event> canonical(EscrowFile file) {
        List<Event> events = file.events();
        int[] phase = new int[events.size()];
        int[] rank = new int[events.size()];
        int p = 0;
        for (int i = 0; i < events.size(); i++) {
            Event e = events.get(i);
            String state = e.is(EventTypes.STATE_CHANGE) ? Objects.toString(e.text("state"), "") : null;
            boolean opens = state != null && (state.startsWith("ROUND_") || state.equals("INITIALIZING"));
            if (opens) {
                p++;
            }
            phase[i] = p;
            rank[i] = opens ? -1 : wallet(e) ? ROLES.indexOf(e.role()) : ROLES.size();
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            if (!(phase[i] == 1 && p > 1 && PROVISIONING.contains(Objects.toString(events.get(i).method(), "")))) {
                order.add(i);
            }
        }
        order.sort(Comparator.<Integer>comparingInt(i -> phase[i]).thenComparingInt(i -> rank[i])
                .thenComparing(i -> wallet(events.get(i)) ? "" : events.get(i).type())
                .thenComparing(i -> events.get(i).isSnapshot())
                .thenComparingInt(i -> i));
        return order.stream().map(events::get).toList();
    }
}
