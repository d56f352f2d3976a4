package dev.escrowstack.party.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import dev.escrowstack.telemetry.Hashes;
import java.util.List;

/**
 * A payout made by the parties, as the service shows it (GET …/funds' {@code payout}, GET and PUT …/payout). The
 * transaction set is there only for the signer, only while AWAITING_SIGNATURE; {@link #toString()} shows its hash only.
 */
public record PayoutTask(String kind, String state, int epoch, String builder, String signer, String address, Long amount,
        Long fee, String multisigTxset, List<String> waitingFor, String since, String deadline, boolean overdue,
        List<String> txHashes) {

    public static final String NONE = "NONE";
    public static final String AWAITING_SIGNATURE = "AWAITING_SIGNATURE";
    public static final String SUBMITTED = "SUBMITTED";
    public static final String PAID = "PAID";

    /** Null for a missing or null node (no payout yet). */
    static PayoutTask of(JsonNode node) {
        if (node == null || !node.isObject() || node.isEmpty()) {
            return null;
        }
        return new PayoutTask(Json.text(node, "kind"), node.path("state").asText(NONE), node.path("epoch").asInt(0),
                Json.text(node, "builder"), Json.text(node, "signer"), Json.text(node, "address"), number(node, "amount"),
                number(node, "fee"), Json.text(node, "multisig_txset"), Json.strings(node.path("waiting_for")),
                Json.text(node, "since"), Json.text(node, "deadline"), node.path("overdue").asBoolean(false),
                Json.strings(node.path("tx_hashes")));
    }

    /** A payout exists (a NONE task is the service saying there is none). */
    public boolean exists() {
        return !NONE.equals(state);
    }

    /** Sent to the network: from here on only the hashes matter. */
    public boolean submitted() {
        return SUBMITTED.equals(state) || PAID.equals(state);
    }

    private static Long number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || !value.canConvertToLong() ? null : value.asLong();
    }

    @Override
    public String toString() {
        return "PayoutTask[kind=" + kind + ", state=" + state + ", epoch=" + epoch + ", builder=" + builder + ", signer=" + signer
                + ", multisig_txset sha256=" + (multisigTxset == null ? null : Hashes.sha256Hex(multisigTxset)) + ", tx_hashes="
                + txHashes + "]";
    }
}
