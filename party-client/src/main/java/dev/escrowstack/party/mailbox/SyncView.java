package dev.escrowstack.party.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * GET …/sync/{epoch}: complete when this party has what it must import; {@code infos} are the other participants'
 * exports (never the caller's), {@code from} their roles in the same order. {@link #toString()} leaves the infos out.
 */
public record SyncView(int epoch, boolean complete, List<String> infos, List<String> from, List<String> waitingFor) {

    static SyncView of(JsonNode body) {
        return new SyncView(body.path("epoch").asInt(0), body.path("complete").asBoolean(), Json.strings(body.path("infos")),
                Json.strings(body.path("from")), Json.strings(body.path("waiting_for")));
    }

    @Override
    public String toString() {
        return "SyncView[epoch=" + epoch + ", complete=" + complete + ", from=" + from + ", waiting_for=" + waitingFor + "]";
    }
}
