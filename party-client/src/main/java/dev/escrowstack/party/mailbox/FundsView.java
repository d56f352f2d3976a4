package dev.escrowstack.party.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * GET …/parties/{role}/funds: the escrow's status, the current sync epoch, who exported and who imported whose infos
 * in it, both recorded payout addresses, and the payout if there is one (null otherwise).
 */
public record FundsView(String escrowId, String status, int epoch, List<String> exported, Map<String, List<String>> imported,
        String buyerPayoutAddress, String vendorPayoutAddress, PayoutTask payout) {

    static FundsView of(JsonNode body) {
        Map<String, List<String>> imported = new LinkedHashMap<>();
        body.path("imported").fields().forEachRemaining(e -> imported.put(e.getKey(), Json.strings(e.getValue())));
        return new FundsView(body.path("escrow_id").asText(null), body.path("status").asText(null), body.path("epoch").asInt(0),
                Json.strings(body.path("exported")), imported, Json.text(body, "buyer_payout_address"),
                Json.text(body, "vendor_payout_address"), PayoutTask.of(body.get("payout")));
    }

    /**
     * The recorded address a payout of this kind pays: the vendor's for a release or a ruling for the vendor, the buyer's
     * for a refund or a ruling for the buyer; null when none is recorded or the kind is unknown.
     */
    public String payeeAddress(String kind) {
        return switch (kind == null ? "" : kind) {
            case "release", "resolve_vendor" -> vendorPayoutAddress;
            case "refund", "resolve_buyer" -> buyerPayoutAddress;
            default -> null;
        };
    }

    /** Whom a payout of this kind pays, in words. */
    public static String payee(String kind) {
        return switch (kind == null ? "" : kind) {
            case "release", "resolve_vendor" -> "vendor";
            case "refund", "resolve_buyer" -> "buyer";
            default -> "?";
        };
    }

    /** The service has this party's export of the current epoch and its report of what it imported. */
    public boolean synced(String role) {
        return exported.stream().anyMatch(role::equalsIgnoreCase) && imported.entrySet().stream()
                .anyMatch(e -> e.getKey().equalsIgnoreCase(role) && !e.getValue().isEmpty());
    }
}
