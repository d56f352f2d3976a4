package dev.escrowstack.analyzer.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Finding;
import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.diagnosis.Surfaced;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;

/** The same answers for machines (--json, trace-exporter's diagnosis API): plain maps, snake_case keys. */
public final class JsonReport {

    private JsonReport() {
    }

    public static Map<String, Object> escrow(EscrowFile file, List<RpcCall> calls, Diagnosis d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", file.source());
        m.put("escrow_id", file.escrowId());
        m.put("status", file.status());
        m.put("duration_ms", file.durationMs());
        m.put("event_count", file.events().size());
        m.put("rpc_calls", calls.size());
        m.put("rpc_failed", calls.stream().filter(c -> !c.success()).count());
        m.put("rpc_stats", Stats.of(calls).stream().map(s -> Map.of("method", s.method(), "calls", s.calls(), "failed", s.failed(),
                "mean_ms", s.meanMs(), "max_ms", s.maxMs())).toList());
        m.put("diagnosis", diagnosis(d));
        return m;
    }

    public static Map<String, Object> diagnosis(Diagnosis d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("escrow_id", d.escrowId());
        m.put("status", d.status());
        m.put("problem_found", d.failed());
        m.put("healed", d.healed());
        m.put("surfaced", surfaced(d.surfaced()));
        m.put("root_cause", d.primary() == null ? null : finding(d.primary()));
        m.put("findings", d.findings().stream().map(JsonReport::finding).toList());
        return m;
    }

    public static Map<String, Object> finding(Finding f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pattern", f.pattern().name());
        m.put("title", f.pattern().label());
        m.put("role", f.role());
        m.put("wallet_id", f.walletId());
        m.put("rpc_port", f.port());
        m.put("round", f.round());
        m.put("operation", f.operation());
        m.put("error", f.error());
        m.put("state_before", f.stateSource() == null ? null : Map.of("snapshot", f.stateSource(), "state", f.stateBefore()));
        m.put("cause", f.cause());
        m.put("evidence", f.evidence());
        m.put("fix", f.fix());
        m.put("rationale", f.rationale());
        m.put("other_escrows", f.otherEscrows());
        return m;
    }

    /** Where the failure showed: the first failed call and every wallet that failed, in one sentence too. */
    public static Map<String, Object> surfaced(Surfaced s) {
        if (s == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("role", s.role());
        m.put("wallet_id", s.walletId());
        m.put("rpc_port", s.port());
        m.put("round", s.round());
        m.put("operation", s.operation());
        m.put("error", s.error());
        m.put("error_code", s.errorCode());
        m.put("wallets", s.wallets().stream().map(w -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("role", w.role());
            x.put("wallet_id", w.walletId());
            x.put("rpc_port", w.port());
            x.put("round", w.round());
            x.put("operation", w.operation());
            x.put("error", w.error());
            return x;
        }).toList());
        m.put("summary", s.summary());
        return m;
    }

    public static Map<String, Object> comparison(Comparison c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file_1", c.fileA());
        m.put("file_2", c.fileB());
        Map<String, Object> dist = new LinkedHashMap<>();
        c.distribution().forEach((type, n) -> dist.put(type, List.of(n[0], n[1])));
        m.put("event_types", dist);
        m.put("diverged", c.divergenceIndex() != null);
        m.put("divergence_event", c.divergenceIndex());
        m.put("event_1", event(c.divergedA()));
        m.put("event_2", event(c.divergedB()));
        m.put("compared_events", c.compared());
        m.put("compared", Comparison.COMPARED);
        Map<String, Object> leftOut = new LinkedHashMap<>();
        leftOut.put("file_1", Comparison.callsByMethod(c.leftOutA()));
        leftOut.put("file_2", Comparison.callsByMethod(c.leftOutB()));
        leftOut.put("why", Comparison.LEFT_OUT_WHY);
        m.put("left_out_calls", leftOut);
        return m;
    }

    private static Map<String, Object> event(Event e) {
        if (e == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("index", e.index());
        m.put("event_type", e.type());
        m.put("role", e.role());
        m.put("timestamp", e.timestamp());
        m.put("details", e.details());
        return m;
    }

    public static List<Map<String, Object>> all(List<EscrowFile> files, List<List<RpcCall>> calls, List<Diagnosis> diagnoses) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 0; i < files.size(); i++) {
            list.add(escrow(files.get(i), calls.get(i), diagnoses.get(i)));
        }
        return list;
    }
}
