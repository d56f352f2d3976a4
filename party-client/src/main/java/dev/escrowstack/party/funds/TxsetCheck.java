package dev.escrowstack.party.funds;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The signer's own look at what it is asked to sign, from its own wallet's describe_transfer: the whole set pays exactly
 * one recipient, the expected address, and keeps no change (a payout sweeps the escrow). The service's word on the
 * destination is not taken: a service (or a builder) that swapped the address is caught here, before any signature.
 */
record TxsetCheck(Map<String, Long> recipients, long changeAmount, long fee, String refusal) {

    /** {@code describe}: describe_transfer's result, its {@code summary} (or, from a wallet without one, its {@code desc}). */
    static TxsetCheck of(JsonNode describe, String expected) {
        Map<String, Long> recipients = new LinkedHashMap<>();
        long change;
        long fee;
        JsonNode summary = describe.path("summary");
        if (summary.has("recipients")) {
            summary.path("recipients").forEach(r -> recipients.merge(r.path("address").asText(), r.path("amount").asLong(), Long::sum));
            change = summary.path("change_amount").asLong();
            fee = summary.path("fee").asLong();
        } else {
            change = 0;
            fee = 0;
            for (JsonNode tx : describe.path("desc")) {
                tx.path("recipients").forEach(r -> recipients.merge(r.path("address").asText(), r.path("amount").asLong(), Long::sum));
                change += tx.path("change_amount").asLong();
                fee += tx.path("fee").asLong();
            }
        }
        return new TxsetCheck(recipients, change, fee, refusal(recipients, change, expected));
    }

    private static String refusal(Map<String, Long> recipients, long change, String expected) {
        if (recipients.isEmpty()) {
            return "the wallet's describe_transfer shows no recipient in the transaction set";
        }
        if (recipients.size() > 1) {
            return "the transaction set pays " + recipients.size() + " recipients " + recipients.keySet() + ", not only " + expected;
        }
        String address = recipients.keySet().iterator().next();
        if (!address.equals(expected)) {
            return "the transaction set pays " + address + ", not the expected " + expected;
        }
        if (change != 0) {
            return "the transaction set keeps " + change + " as change: a payout sends everything to " + expected;
        }
        return null;
    }

    boolean ok() {
        return refusal == null;
    }

    long amount() {
        return recipients.values().stream().mapToLong(Long::longValue).sum();
    }
}
