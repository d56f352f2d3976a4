package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;

/**
 * Pattern B, which needs several files at once: calls of different escrows (or of different wallets)
 * overlapping in time on the same wallet-rpc port, or on the same wallet; and the errors a shared
 * instance gives ("opened by another wallet program", a wallet that cannot be opened).
 */
final class SharedInstanceRace {

    /** Evidence against one escrow. */
    static final class Race {
        final List<String> evidence = new ArrayList<>();
        final Set<String> others = new LinkedHashSet<>();
        RpcCall first;
        /**
         * How many calls OF THIS escrow overlapped another escrow's call on a shared instance (or, when no
         * other escrow's did, another wallet of this escrow): each call once, however many it overlapped,
         * so the count never exceeds the escrow's own calls.
         */
        int overlaps;
        int sameEscrowLines;
        private final Set<Integer> overlappingOthers = new HashSet<>();
        private final Set<Integer> overlappingOwn = new HashSet<>();

        private void overlapped(RpcCall mine, boolean across) {
            (across ? overlappingOthers : overlappingOwn).add(mine.endIndex());
            overlaps = overlappingOthers.isEmpty() ? overlappingOwn.size() : overlappingOthers.size();
        }
    }

    private SharedInstanceRace() {
    }

    /** Per escrow id, what shows that its calls shared an RPC instance with others. */
    static Map<String, Race> find(List<EscrowFile> files, Map<String, List<RpcCall>> callsByEscrow) {
        Map<String, Long> starts = new HashMap<>();
        files.forEach(f -> starts.put(f.escrowId(), f.start()));
        Map<String, Race> races = new LinkedHashMap<>();
        Map<Object, List<RpcCall>> byInstance = new HashMap<>();
        for (List<RpcCall> calls : callsByEscrow.values()) {
            for (RpcCall c : calls) {
                if (c.port() != null) {
                    byInstance.computeIfAbsent("port " + c.port(), k -> new ArrayList<>()).add(c);
                }
                if (c.walletId() != null) {
                    byInstance.computeIfAbsent("wallet " + c.walletId(), k -> new ArrayList<>()).add(c);
                }
                if (sharedInstanceError(c.error())) {
                    Race r = races.computeIfAbsent(c.escrowId(), k -> new Race());
                    r.first = r.first == null ? c : r.first;
                    r.evidence.add(c.role() + " " + c.method() + " on port " + c.port() + " failed: \"" + c.error() + "\"");
                }
            }
        }
        for (EscrowFile f : files) {
            answeredForAnother(f, callsByEscrow.get(f.escrowId()), races);
        }
        for (Map.Entry<Object, List<RpcCall>> instance : byInstance.entrySet()) {
            List<RpcCall> calls = instance.getValue();
            calls.sort(Comparator.comparingLong(RpcCall::start));
            List<RpcCall> active = new ArrayList<>();
            for (RpcCall c : calls) {
                active.removeIf(a -> a.end() <= c.start());
                for (RpcCall a : active) {
                    if (conflict(a, c)) {
                        note(races, a, c, instance.getKey(), starts);
                        note(races, c, a, instance.getKey(), starts);
                    }
                }
                active.add(c);
            }
        }
        return races;
    }

    /** Two calls at once on one instance are a conflict unless they are the same wallet of the same escrow. */
    private static boolean conflict(RpcCall a, RpcCall b) {
        if (!a.overlaps(b)) {
            return false;
        }
        return !a.escrowId().equals(b.escrowId()) || !Objects.equals(a.role(), b.role());
    }

    private static void note(Map<String, Race> races, RpcCall mine, RpcCall theirs, Object instance, Map<String, Long> starts) {
        Race r = races.computeIfAbsent(mine.escrowId(), k -> new Race());
        boolean across = !theirs.escrowId().equals(mine.escrowId());
        r.overlapped(mine, across);
        if (across) {
            r.others.add(theirs.escrowId());
        }
        if (r.first == null || mine.start() < r.first.start()) {
            r.first = mine;
        }
        // Calls of other escrows say more than calls of this escrow's other wallets: they get the first lines.
        if (r.evidence.size() < 6 || across && r.sameEscrowLines > 0) {
            if (r.evidence.size() >= 6) {
                r.evidence.remove(r.evidence.size() - 1);
                r.sameEscrowLines--;
            }
            long base = starts.getOrDefault(mine.escrowId(), mine.start());
            String line = mine.role() + " " + mine.method() + " [+" + (mine.start() - base) + "…+" + (mine.end() - base) + "ms] and "
                    + (across ? theirs.who() : "this escrow's " + theirs.role()) + " " + theirs.method() + " ran at the same time on "
                    + instance + " (" + overlapMs(mine, theirs) + " ms overlap)";
            if (across) {
                r.evidence.add(r.evidence.size() - r.sameEscrowLines, line);
            } else {
                r.evidence.add(line);
                r.sameEscrowLines++;
            }
        }
    }

    private static long overlapMs(RpcCall a, RpcCall b) {
        return Math.min(a.end(), b.end()) - Math.max(a.start(), b.start());
    }

    /**
     * Calls answered by the wrong wallet: before round 1 every wallet has its own address, so two roles'
     * snapshots with different wallet ids and one address_hash mean one wallet answered for both.
     */
    private static void answeredForAnother(EscrowFile file, List<RpcCall> calls, Map<String, Race> races) {
        Map<String, Event> byAddress = new HashMap<>();
        for (Event e : file.events()) {
            if (!e.is(dev.escrowstack.telemetry.EventTypes.SNAPSHOT_PRE_ROUND1) || e.text("address_hash") == null
                    || e.text("wallet_id") == null) {
                continue;
            }
            Event other = byAddress.putIfAbsent(e.text("address_hash"), e);
            if (other != null && !other.text("wallet_id").equals(e.text("wallet_id"))) {
                Race r = races.computeIfAbsent(file.escrowId(), k -> new Race());
                if (r.first == null && !calls.isEmpty()) {
                    r.first = calls.get(0);
                }
                r.evidence.add(0, "the " + other.role() + " and " + e.role() + " wallets (" + other.text("wallet_id") + ", "
                        + e.text("wallet_id") + ") reported the same address before round 1: one wallet answered for both");
            }
        }
    }

    static boolean sharedInstanceError(String error) {
        if (error == null) {
            return false;
        }
        String e = error.toLowerCase(Locale.ROOT);
        return e.contains("opened by another") || e.contains("failed to open wallet") || e.contains("no wallet file")
                || e.contains("wallet file not found") || e.contains("file is being used");
    }

    static Finding finding(EscrowFile file, Race race, FailurePoint failure, Surfaced surfaced) {
        RpcCall at = race.first; // null when only the snapshots show it
        String role = failure != null && failure.role() != null ? failure.role() : at == null ? null : at.role();
        int index = failure != null ? failure.index() : at == null ? Integer.MAX_VALUE : at.endIndex();
        Event before = FailurePoint.snapshotBefore(file, role, index);
        Integer port = failure != null && failure.port() != null ? failure.port() : at == null ? null : at.port();
        Integer round = failure != null && failure.round() != null ? failure.round() : at != null && at.round() > 0 ? at.round() : null;
        String walletId = failure != null && failure.walletId() != null ? failure.walletId() : at == null ? null : at.walletId();
        String others = race.others.isEmpty() ? "another wallet of the same escrow" : "escrow " + String.join(", escrow ", race.others);
        String cause = "Calls of this escrow and " + others + " ran on one monero-wallet-rpc instance"
                + (port == null ? "" : " (port " + port + ")") + (race.overlaps == 0 ? "" : " at the same time — " + race.overlaps
                        + " overlapping call" + (race.overlaps == 1 ? "" : "s")) + ": the instance was shared, and a call could run"
                + " against the wallet another caller had just opened" + (surfaced == null ? "." : "; here " + Texts.sentence(surfaced.summary()));
        return new Finding(Pattern.B, file.escrowId(), role, walletId, port, round,
                failure != null ? failure.operation() : at == null ? null : at.method(), failure == null ? null : failure.error(),
                before == null ? null : before.type(), FailurePoint.state(before), List.copyOf(race.evidence), cause, Texts.FIX_B,
                Texts.WHY_B, List.copyOf(race.others));
    }
}
