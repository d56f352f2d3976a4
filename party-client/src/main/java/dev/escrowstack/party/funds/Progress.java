package dev.escrowstack.party.funds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.escrowstack.party.mailbox.PayoutTask;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How a payout and the service's role lists read on the progress stream: state, amounts, whom it waits for; no tx set. */
final class Progress {

    private Progress() {
    }

    static void payout(PrintStream progress, PayoutTask task) {
        progress.println(line(task));
    }

    static String line(PayoutTask task) {
        StringBuilder line = new StringBuilder("payout " + task.kind() + ": " + task.state());
        if (task.epoch() > 0) {
            line.append(", epoch ").append(task.epoch());
        }
        if (task.amount() != null) {
            line.append(", ").append(task.amount()).append(task.address() == null ? "" : " to " + task.address());
        }
        if (task.fee() != null) {
            line.append(" (fee ").append(task.fee()).append(')');
        }
        if (!task.txHashes().isEmpty()) {
            line.append(", tx ").append(String.join(", ", task.txHashes()));
        }
        if (PayoutTask.AWAITING_SIGNATURE.equals(task.state())) {
            line.append("; waiting for the ").append(task.signer() == null ? "signer" : task.signer()).append("'s signature");
            if (task.deadline() != null) {
                line.append(" until ").append(task.deadline());
            }
            if (task.overdue()) {
                line.append(" (overdue)");
            }
        } else if (PayoutTask.SUBMITTED.equals(task.state())) {
            line.append("; sent, waiting for the service to see it");
        }
        return line.toString();
    }

    /** A problem's role list ({@code stale_roles}): a JSON array, or "buyer,vendor" as the span attribute writes it; lower case. */
    static List<String> roles(JsonNode node) {
        List<String> roles = new ArrayList<>();
        if (node.isArray()) {
            node.forEach(v -> roles.add(v.asText().toLowerCase(Locale.ROOT)));
        } else if (node.isTextual()) {
            for (String role : node.asText().split(",")) {
                if (!role.isBlank()) {
                    roles.add(role.strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return roles;
    }
}
