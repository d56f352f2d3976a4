package dev.escrowstack.analyzer.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import dev.escrowstack.analyzer.diagnosis.Texts;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * What a snapshot shows only beside the others, which a snapshot alone cannot: the multisig wallets of
 * one escrow reporting different address_hash at one snapshot point (Pattern C: one wallet was sent
 * other infos), and one address under several wallet ids before they are multisig (Pattern B: one
 * wallet answered for the others) — within a file and across the files read together.
 */
public final class SnapshotChecks {

    /** One snapshot point of a file: its snapshots by role, and what they show together. */
    private static final class Point {
        final String type;
        final Map<String, Event> byRole = new LinkedHashMap<>();
        final List<String> conclusions = new ArrayList<>();
        /** Several wallet ids with one address: the lines show the wallet ids. */
        boolean sharedAddress;

        Point(String type) {
            this.type = type;
        }
    }

    /** The skill's order, for the "role.address_hash:" lines; other roles after them. */
    private static final List<String> ROLES = List.of("buyer", "vendor", "arbiter");

    private final Map<Event, String> problems = new IdentityHashMap<>();
    private final Map<EscrowFile, List<Point>> points = new IdentityHashMap<>();

    private SnapshotChecks() {
    }

    public static SnapshotChecks of(List<EscrowFile> files) {
        SnapshotChecks checks = new SnapshotChecks();
        Map<String, List<Event>> unmultisigByAddress = new LinkedHashMap<>();
        Map<Event, EscrowFile> fileOf = new IdentityHashMap<>();
        for (EscrowFile file : files) {
            Map<String, Point> byType = new LinkedHashMap<>();
            for (Event e : file.events()) {
                if (e.isSnapshot() && e.role() != null && e.text("address_hash") != null && !e.text("address_hash").isEmpty()) {
                    byType.computeIfAbsent(e.type(), Point::new).byRole.put(e.role(), e);
                    if (notMultisig(e) && e.text("wallet_id") != null) {
                        unmultisigByAddress.computeIfAbsent(e.text("address_hash"), a -> new ArrayList<>()).add(e);
                        fileOf.put(e, file);
                    }
                }
            }
            checks.points.put(file, new ArrayList<>(byType.values()));
            byType.values().forEach(checks::divergence);
        }
        unmultisigByAddress.values().forEach(snaps -> checks.oneAddress(snaps, fileOf));
        return checks;
    }

    /** What is wrong with this snapshot beside the others, or null. */
    public String problem(Event e) {
        return problems.get(e);
    }

    /**
     * The skill's Pattern C symptom for each snapshot point that has a problem ("arbiter.address_hash:
     * def456... ❌"), points with the same lines folded into one, and what the lines mean.
     */
    public List<String> summary(EscrowFile file) {
        List<String> lines = new ArrayList<>();
        List<String> previous = null;
        for (Point p : points.getOrDefault(file, List.of())) {
            if (p.conclusions.isEmpty()) {
                continue;
            }
            List<String> block = new ArrayList<>();
            p.byRole.keySet().stream().sorted(Comparator.comparingInt(SnapshotChecks::order)).forEach(role -> {
                Event e = p.byRole.get(role);
                block.add(String.format("%-21s %s", role + ".address_hash:", Texts.shortHash(e.text("address_hash")))
                        + (p.sharedAddress ? " wallet=" + e.text("wallet_id") : "") + (problems.containsKey(e) ? " ❌" : ""));
            });
            p.conclusions.forEach(c -> block.add("→ " + c));
            if (block.equals(previous)) {
                String header = lines.get(lines.size() - previous.size() - 1);
                lines.set(lines.size() - previous.size() - 1, header.substring(0, header.length() - 1) + ", " + p.type + ":");
                continue;
            }
            lines.add(p.type + ":");
            lines.addAll(block);
            previous = block;
        }
        return lines;
    }

    /** Pattern C: multisig wallets that disagree on the address at one point; the odd one out is marked. */
    private void divergence(Point p) {
        Map<String, Event> multisig = p.byRole.entrySet().stream().filter(e -> Boolean.TRUE.equals(e.getValue().multisig()))
                .sorted(Comparator.comparingInt(e -> order(e.getKey())))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> b, LinkedHashMap::new));
        Map<String, List<String>> rolesByAddress = multisig.entrySet().stream().collect(Collectors.groupingBy(
                e -> e.getValue().text("address_hash"), LinkedHashMap::new, Collectors.mapping(Map.Entry::getKey, Collectors.toList())));
        if (rolesByAddress.size() < 2) {
            return;
        }
        int top = rolesByAddress.values().stream().mapToInt(List::size).max().orElse(0);
        List<String> majority = rolesByAddress.values().stream().filter(r -> r.size() == top).count() == 1
                ? rolesByAddress.values().stream().filter(r -> r.size() == top).findFirst().orElseThrow() : List.of();
        for (Map.Entry<String, Event> e : multisig.entrySet()) {
            if (!majority.contains(e.getKey())) {
                List<String> others = !majority.isEmpty() ? majority
                        : multisig.keySet().stream().filter(r -> !r.equals(e.getKey())).toList();
                problems.put(e.getValue(), "address_hash differs from the " + possessive(others));
            }
        }
        if (majority.isEmpty()) {
            p.conclusions.add("the multisig wallets report " + rolesByAddress.size() + " different addresses: they were not sent"
                    + " matching infos (Pattern C, state divergence; --diagnose says which wallet got which)");
        } else {
            String majorityHash = multisig.get(majority.get(0)).text("address_hash");
            rolesByAddress.forEach((hash, roles) -> {
                if (!hash.equals(majorityHash)) {
                    p.conclusions.add(String.join(" and ", majority) + " have address_hash " + Texts.shortHash(majorityHash) + " but "
                            + String.join(" and ", roles) + (roles.size() == 1 ? " has " : " have ") + Texts.shortHash(hash)
                            + ": incorrect infos were sent to the " + String.join(" and ", roles)
                            + " (Pattern C, state divergence; --diagnose says which info)");
                }
            });
        }
    }

    /** Pattern B: before multisig every wallet has its own address, so one address under several wallet ids means one wallet answered. */
    private void oneAddress(List<Event> snaps, Map<Event, EscrowFile> fileOf) {
        Set<String> walletIds = snaps.stream().map(e -> e.text("wallet_id")).collect(Collectors.toCollection(LinkedHashSet::new));
        if (walletIds.size() < 2) {
            return;
        }
        Map<EscrowFile, List<Event>> byFile = snaps.stream().collect(Collectors.groupingBy(fileOf::get, IdentityHashMap::new,
                Collectors.toList()));
        for (Map.Entry<EscrowFile, List<Event>> f : byFile.entrySet()) {
            List<Event> mine = f.getValue();
            long ownIds = mine.stream().map(e -> e.text("wallet_id")).distinct().count();
            long elsewhere = walletIds.size() - ownIds;
            String across = elsewhere == 0 ? "" : (ownIds > 1 ? " and " : "") + count(elsewhere, "wallet id") + " of "
                    + count(byFile.size() - 1, "other escrow");
            for (Event e : mine) {
                List<String> sameFile = mine.stream().filter(o -> !o.text("wallet_id").equals(e.text("wallet_id"))).map(Event::role)
                        .distinct().sorted(Comparator.comparingInt(SnapshotChecks::order)).toList();
                problems.merge(e, "same address_hash as " + (sameFile.isEmpty() ? "" : "the " + possessive(sameFile) + " wallet"
                        + (sameFile.size() == 1 ? "" : "s")) + across + ": one wallet answered for several", (a, b) -> a + "; " + b);
            }
            Set<String> types = mine.stream().map(Event::type).collect(Collectors.toSet());
            for (Point p : points.get(f.getKey())) {
                if (types.contains(p.type)) {
                    p.sharedAddress = true;
                    p.conclusions.add(count(ownIds, "wallet id") + " of this escrow" + (elsewhere == 0 ? "" : " and " + elsewhere
                            + " of " + count(byFile.size() - 1, "other escrow")) + " report one address before they are multisig:"
                            + " one wallet answered for the others — concurrent access to a shared RPC instance (Pattern B)");
                }
            }
        }
    }

    private static int order(String role) {
        int i = ROLES.indexOf(role);
        return i < 0 ? ROLES.size() : i;
    }

    /** "1 wallet id", "3 wallet ids" */
    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** "buyer's and vendor's" */
    private static String possessive(List<String> roles) {
        return roles.stream().map(r -> r + "'s").collect(Collectors.joining(" and "));
    }

    private static boolean notMultisig(Event e) {
        Boolean multisig = e.multisig();
        return Boolean.FALSE.equals(multisig) || multisig == null && e.is(EventTypes.SNAPSHOT_PRE_ROUND1);
    }
}
