package dev.escrowstack.escrow.setup;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.report.JsonReport;
import io.opentelemetry.api.trace.Span;

/**
 * The analyzer's answer on a failed setup in the forms escrow-service hands on: the stored JSON the escrow
 * view shows as {@code failure.surfaced}/{@code failure.root_cause}, and the attributes trace-exporter turns
 * into ERROR_FINAL's root_cause. One shape for both custody modes, so the API, the file and the CLI agree.
 *
 * @param surfaced  where the failure surfaced (JsonReport's form), or null
 * @param rootCause the primary finding (JsonReport's form), or null when the analyzer found none
 */
public record FailureDiagnosis(Map<String, Object> surfaced, Map<String, Object> rootCause) {

    /** Keeps the stored JSON within its column; evidence lines are the first thing to go. */
    private static final int MAX_JSON = 16000;

    public static FailureDiagnosis of(Diagnosis d) {
        return new FailureDiagnosis(JsonReport.surfaced(d.surfaced()), d.primary() == null ? null : JsonReport.finding(d.primary()));
    }

    /** The stored form, {"surfaced": …, "root_cause": …}; null when it does not fit even without evidence. */
    public String toJson(ObjectMapper json) {
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

    /** On the span whose end is the setup's ERROR_FINAL: the same answer as the stored one. */
    public void onSpan(Span span) {
        if (surfaced != null && surfaced.get("wallets") instanceof List<?> wallets && !wallets.isEmpty()) {
            span.setAttribute(ESCROW_FAILED_ROLES, wallets.stream().map(w -> String.valueOf(((Map<?, ?>) w).get("role")))
                    .collect(Collectors.joining(",")));
        }
        if (rootCause == null) {
            return;
        }
        span.setAttribute(ESCROW_ROOT_CAUSE_PATTERN, String.valueOf(rootCause.get("pattern")));
        span.setAttribute(ESCROW_ROOT_CAUSE, String.valueOf(rootCause.get("cause")));
        if (rootCause.get("role") != null) {
            span.setAttribute(ESCROW_ROOT_CAUSE_ROLE, String.valueOf(rootCause.get("role")));
        }
        if (rootCause.get("wallet_id") != null) {
            span.setAttribute(ESCROW_ROOT_CAUSE_WALLET_ID, String.valueOf(rootCause.get("wallet_id")));
        }
        if (rootCause.get("round") instanceof Number round) {
            span.setAttribute(ESCROW_ROOT_CAUSE_ROUND, round.longValue());
        }
        if (rootCause.get("operation") != null) {
            span.setAttribute(ESCROW_ROOT_CAUSE_OPERATION, String.valueOf(rootCause.get("operation")));
        }
        if ("A".equals(rootCause.get("pattern")) && rootCause.get("other_escrows") instanceof List<?> source && !source.isEmpty()) {
            span.setAttribute(ESCROW_ROOT_CAUSE_PREVIOUS_ESCROW, String.valueOf(source.get(0)));
        }
    }
}
