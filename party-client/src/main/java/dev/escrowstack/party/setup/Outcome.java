package dev.escrowstack.party.setup;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The escrow's status as the service reports it, and a FAILED escrow's failure and diagnosis in a few lines. */
record Outcome(String status, String address, List<String> failure) {

    /** Fields of a failure or a diagnosis worth a line, in the order a reader wants them. */
    private static final List<String> FIELDS = List.of("round", "role", "operation", "error", "sentence", "summary", "pattern",
            "explanation", "cause", "fix");

    static Outcome of(JsonNode escrow) {
        String address = escrow.path("multisig_address").asText(escrow.path("address").asText(null));
        List<String> lines = new ArrayList<>();
        for (String key : List.of("failure", "diagnosis")) {
            describe(key, escrow.path(key), lines);
        }
        return new Outcome(escrow.path("status").asText(null), address, lines);
    }

    boolean ended() {
        return "READY".equals(status) || "FAILED".equals(status);
    }

    private static void describe(String prefix, JsonNode node, List<String> lines) {
        if (!node.isObject()) {
            return;
        }
        StringBuilder line = new StringBuilder();
        for (String field : FIELDS) {
            JsonNode value = node.get(field);
            if (value != null && value.isValueNode() && !value.isNull()) {
                line.append(line.length() == 0 ? "" : "; ").append(field).append(": ").append(value.asText());
            }
        }
        if (line.length() > 0) {
            lines.add(prefix + ": " + line);
        }
        for (Map.Entry<String, JsonNode> child : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
            if (child.getValue().isObject() && !"evidence".equals(child.getKey())) {
                describe(prefix + "." + child.getKey(), child.getValue(), lines);
            }
        }
    }
}
