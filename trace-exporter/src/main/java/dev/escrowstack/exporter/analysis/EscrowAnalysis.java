package dev.escrowstack.exporter.analysis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.analyzer.diagnosis.Calls;
import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.analyzer.report.Comparison;
import dev.escrowstack.analyzer.report.JsonReport;
import dev.escrowstack.exporter.events.EscrowEvent;
import dev.escrowstack.exporter.files.EscrowTraces;
import dev.escrowstack.problem.ProblemException;

/**
 * The analyzer over the escrows in memory — the same answers as tools/analyze-escrow on their files. An
 * escrow is diagnosed together with every escrow that ran at the same time, since a race on a shared
 * wallet-rpc (Pattern B) only shows across escrows.
 */
@ApplicationScoped
public class EscrowAnalysis {

    private final EscrowTraces traces;

    public EscrowAnalysis(EscrowTraces traces) {
        this.traces = traces;
    }

    public Map<String, Object> diagnosis(String id) {
        EscrowFile target = file(id, events(id));
        List<EscrowFile> together = new ArrayList<>();
        together.add(target);
        traces.overlapping(target.start(), target.end()).forEach((other, events) -> {
            if (!other.equals(id)) {
                together.add(file(other, events));
            }
        });
        List<List<RpcCall>> calls = together.stream().map(Calls::of).toList();
        Diagnosis d = Diagnoser.diagnose(together, calls).get(0);
        Map<String, Object> report = new LinkedHashMap<>(JsonReport.escrow(target, calls.get(0), d));
        report.putAll(forTheBrowser(target, calls, d));
        return report;
    }

    /**
     * What the trace browser draws beside the analyzer's answer, decided here so the pages need not guess:
     * the call the diagnosis blames, the first call that failed, and each role's ports — shared only when
     * another wallet's call ran on the same port at the same time.
     */
    private static Map<String, Object> forTheBrowser(EscrowFile target, List<List<RpcCall>> calls, Diagnosis d) {
        List<RpcCall> mine = calls.get(0);
        Set<Integer> shared = new TreeSet<>();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("blamed_call", CallRef.of(target, BlamedCall.of(d.primary(), mine)));
        m.put("first_failed_call", CallRef.of(target, BlamedCall.surfaced(d.surfaced(), mine)));
        m.put("ports", PortUse.of(mine, calls.stream().flatMap(List::stream).toList(), shared));
        m.put("shared_calls", List.copyOf(shared));
        return m;
    }

    public Map<String, Object> compare(String a, String b) {
        return JsonReport.comparison(Comparison.of(file(a, events(a)), file(b, events(b))));
    }

    private List<EscrowEvent> events(String id) {
        return traces.events(id).orElseThrow(() -> new ProblemException(404, "escrow-trace-not-found", "No such escrow trace",
                "no spans of escrow '" + id + "' seen").with("escrow_id", id));
    }

    /** The exporter's events are already in time order: they become the analyzer's as they are. */
    static EscrowFile file(String id, List<EscrowEvent> events) {
        List<Event> converted = new ArrayList<>(events.size());
        for (EscrowEvent e : events) {
            converted.add(new Event(converted.size(), e.traceId(), e.timestamp(), e.eventType(), e.role(), e.rpcPort(), e.details()));
        }
        return new EscrowFile("escrow_" + id + ".json", id, converted);
    }
}
