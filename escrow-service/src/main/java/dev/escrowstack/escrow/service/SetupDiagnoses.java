package dev.escrowstack.escrow.service;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Surfaced;
import dev.escrowstack.escrow.service.EscrowStore.Failure;
import dev.escrowstack.escrow.setup.FailureDiagnosis;
import dev.escrowstack.escrow.setup.SetupFailed;
import io.quarkus.logging.Log;

/**
 * Diagnoses a failed setup with the analyzer library, from the setup's own journal: where the failure
 * surfaced and its root cause, the answer the CLI and the diagnosis API give from the escrow's file.
 */
@ApplicationScoped
public class SetupDiagnoses {

    /** A failure, where the analyzer placed it, with the diagnosis as the API shows it (its parts null: none). */
    public record Diagnosed(Failure failure, FailureDiagnosis diagnosis) {
    }

    private static final FailureDiagnosis NONE = new FailureDiagnosis(null, null);

    private final EscrowStore store;
    private final ObjectMapper json;

    public SetupDiagnoses(EscrowStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    public Diagnosed diagnose(String escrowId, SetupFailed f) {
        Failure fallback = new Failure(f.round(), f.role().name(), f.operation(), f.walletErrorCode(), f.getMessage());
        if (f.journal() == null) {
            return new Diagnosed(fallback, NONE);
        }
        Diagnosis d;
        try {
            d = f.journal().diagnose(store.previousEscrowsOf(escrowId));
        } catch (RuntimeException e) { // a diagnosis must never turn a clear failure into an internal error
            Log.warnf("escrow %s: the setup failure could not be diagnosed: %s", escrowId, e.toString());
            return new Diagnosed(fallback, NONE);
        }
        Surfaced s = d.surfaced();
        Failure failure = s == null || s.operation() == null ? fallback
                : new Failure(s.round(), s.role(), s.operation(), s.errorCode() == null ? null : s.errorCode().intValue(), s.error());
        FailureDiagnosis diagnosis = FailureDiagnosis.of(d);
        return new Diagnosed(failure.with(diagnosis.toJson(json)), diagnosis);
    }
}
