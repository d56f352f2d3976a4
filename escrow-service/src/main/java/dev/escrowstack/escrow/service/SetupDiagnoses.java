package dev.escrowstack.escrow.service;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Surfaced;
import dev.escrowstack.analyzer.report.JsonReport;
import dev.escrowstack.escrow.service.EscrowStore.Failure;
import dev.escrowstack.escrow.setup.SetupFailed;
import io.quarkus.logging.Log;

/**
 * Diagnoses a failed setup with the analyzer library, from the setup's own journal: where the failure
 * surfaced and its root cause, the answer the CLI and the diagnosis API give from the escrow's file.
 */
@ApplicationScoped
public class SetupDiagnoses {

    /** Keeps the stored JSON within its column; evidence lines are the first thing to go. */
    private static final int MAX_JSON = 16000;

    /** A failure, where the analyzer placed it, with the diagnosis as the API shows it (null: none). */
    public record Diagnosed(Failure failure, Map<String, Object> surfaced, Map<String, Object> rootCause) {
    }

    private final EscrowStore store;
    private final ObjectMapper json;

    public SetupDiagnoses(EscrowStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public Diagnosed diagnose(String escrowId, SetupFailed f) {
        Failure fallback = new Failure(f.round(), f.role().name(), f.operation(), f.walletErrorCode(), f.getMessage());
        if (f.journal() == null) {
            return new Diagnosed(fallback, null, null);
        }
        Diagnosis d;
        try {
            d = f.journal().diagnose(store.previousEscrowsOf(escrowId));
        } catch (RuntimeException e) { // a diagnosis must never turn a clear failure into an internal error
            Log.warnf("escrow %s: the setup failure could not be diagnosed: %s", escrowId, e.toString());
            return new Diagnosed(fallback, null, null);
        }
        Surfaced s = d.surfaced();
        Failure failure = s == null || s.operation() == null ? fallback
                : new Failure(s.round(), s.role(), s.operation(), s.errorCode() == null ? null : s.errorCode().intValue(), s.error());
        Map<String, Object> rootCause = d.primary() == null ? null : JsonReport.finding(d.primary());
        return new Diagnosed(failure.with(toJson(JsonReport.surfaced(s), rootCause)), JsonReport.surfaced(s), rootCause);
    }

    /** The stored form: {"surfaced": …, "root_cause": …}. */
    private String toJson(Map<String, Object> surfaced, Map<String, Object> rootCause) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("surfaced", surfaced);
        m.put("root_cause", rootCause);
        try {
            String text = json.writeValueAsString(m);
            if (text.length() > MAX_JSON && rootCause != null) {
                Map<String, Object> shorter = new LinkedHashMap<>(rootCause);
                shorter.remove("evidence");
                m.put("root_cause", shorter);
                text = json.writeValueAsString(m);
            }
            return text.length() > MAX_JSON ? null : text;
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
