package dev.escrowstack.escrow.parties;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.escrow.persistence.PartyMessage;
import dev.escrowstack.escrow.setup.FailureDiagnosis;
import dev.escrowstack.telemetry.EventTypes;
import io.quarkus.logging.Log;

/**
 * A failed non-custodial setup diagnosed by the analyzer library, from the mailbox's records as the escrow's
 * file has them (a PARTY_MESSAGE per message: role, round, hash, size, signing key's hash) and the failure
 * as its ERROR_FINAL: the escrow view's {@code failure.root_cause} is then the CLI's answer on the file.
 * Read before the infos are erased (the signing keys' hashes come from them).
 */
@ApplicationScoped
class PartyDiagnoses {

    private final PartyStore store;

    PartyDiagnoses(PartyStore store) {
        this.store = store;
    }

    FailureDiagnosis diagnose(String escrowId, int round, String role, String operation, String error) {
        try {
            List<Event> events = new ArrayList<>();
            for (PartyMessage m : store.all(escrowId)) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("round", m.round);
                d.put("sha256", m.sha256);
                d.put("size", m.size);
                d.put("outcome", "NEW");
                d.put("success", true);
                if (m.info != null) {
                    KexMessage.parse(m.info).ifPresent(k -> d.put("signer_sha256", k.signerSha256()));
                }
                events.add(new Event(events.size(), null, m.receivedAt.toEpochMilli(), EventTypes.PARTY_MESSAGE, m.role, null, d));
            }
            Map<String, Object> context = new LinkedHashMap<>();
            context.put("round", round);
            context.put("operation", operation);
            context.put("wallet", role);
            context.put("escrow", escrowId);
            Map<String, Object> end = new LinkedHashMap<>();
            end.put("error", error);
            end.put("context", context);
            events.add(new Event(events.size(), null, System.currentTimeMillis(), EventTypes.ERROR_FINAL, role, null, end));
            return FailureDiagnosis.of(Diagnoser.diagnose(new EscrowFile("escrow-service", escrowId, events)));
        } catch (RuntimeException e) { // a diagnosis must never keep a failure from being recorded
            Log.warnf("escrow %s: the parties' failure could not be diagnosed: %s", escrowId, e.toString());
            return new FailureDiagnosis(null, null);
        }
    }
}
