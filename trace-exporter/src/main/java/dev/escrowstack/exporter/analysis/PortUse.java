package dev.escrowstack.exporter.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.escrowstack.analyzer.diagnosis.RpcCall;

/**
 * How one role of an escrow used one wallet-rpc port: its calls there, from when to when, and whether the
 * port was shared — a call of another role or of another escrow (one that ran at the same time) on the same
 * port at the same time, the analyzer's rule for the race of Pattern B. Several ports one after the other
 * (the setup's lease, then the funding check's and the payout's) are not sharing.
 */
public record PortUse(String role, int rpcPort, int calls, long from, long to, boolean shared, List<String> sharedWith) {

    /** The port uses of {@code mine}, and into {@code sharedCalls} the end index of each of its calls that ran beside another's. */
    static List<PortUse> of(List<RpcCall> mine, List<RpcCall> all, Set<Integer> sharedCalls) {
        Map<String, List<RpcCall>> byRolePort = new LinkedHashMap<>();
        for (RpcCall c : mine) {
            if (c.port() != null) {
                byRolePort.computeIfAbsent(c.role() + "\u0000" + c.port(), k -> new ArrayList<>()).add(c);
            }
        }
        List<PortUse> uses = new ArrayList<>();
        for (List<RpcCall> calls : byRolePort.values()) {
            Set<String> with = new LinkedHashSet<>();
            for (RpcCall c : calls) {
                for (RpcCall other : all) {
                    if (c.port().equals(other.port()) && c.overlaps(other) && !sameCaller(c, other)) {
                        sharedCalls.add(c.endIndex());
                        with.add((other.escrowId().equals(c.escrowId()) ? "this escrow's" : "escrow " + other.escrowId()) + " "
                                + Objects.toString(other.role(), "(no role)") + (other.walletId() == null ? "" : " (" + other.walletId() + ")"));
                    }
                }
            }
            RpcCall first = calls.get(0);
            uses.add(new PortUse(first.role(), first.port(), calls.size(), calls.stream().mapToLong(RpcCall::start).min().orElse(0),
                    calls.stream().mapToLong(RpcCall::end).max().orElse(0), !with.isEmpty(), List.copyOf(with)));
        }
        return uses;
    }

    /** One role of one escrow may overlap itself: the gateway closes the previous wallet while granting its lease. */
    private static boolean sameCaller(RpcCall a, RpcCall b) {
        return a.escrowId().equals(b.escrowId()) && Objects.equals(a.role(), b.role());
    }
}
