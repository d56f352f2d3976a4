package dev.escrowstack.analyzer.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.escrowstack.analyzer.diagnosis.RpcCall;

/** RPC statistics per method: count, failures, mean and max duration. */
public record Stats(String method, int calls, int failed, long meanMs, long maxMs, long totalMs) {

    public static List<Stats> of(List<RpcCall> calls) {
        Map<String, List<RpcCall>> byMethod = new TreeMap<>();
        calls.forEach(c -> byMethod.computeIfAbsent(c.method(), m -> new ArrayList<>()).add(c));
        List<Stats> stats = new ArrayList<>();
        byMethod.forEach((method, list) -> {
            long total = list.stream().mapToLong(c -> c.end() - c.start()).sum();
            stats.add(new Stats(method, list.size(), (int) list.stream().filter(c -> !c.success()).count(), total / list.size(),
                    list.stream().mapToLong(c -> c.end() - c.start()).max().orElse(0), total));
        });
        return stats;
    }
}
