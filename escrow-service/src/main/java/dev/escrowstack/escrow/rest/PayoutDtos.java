package dev.escrowstack.escrow.rest;

import java.time.Instant;
import java.util.List;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.escrowstack.escrow.funds.PayoutAddress;
import dev.escrowstack.escrow.persistence.Escrow;

/** Bodies of the funds endpoints (snake_case on the wire). */
public final class PayoutDtos {

    /**
     * Who can raise a dispute or win one: Role's buyer and vendor (the arbiter decides, it is no party). A regular
     * expression because an annotation takes only a constant; the resource maps the value with Role.valueOf.
     */
    static final String PARTY = "buyer|vendor";

    private PayoutDtos() {
    }

    @Schema(description = "Where the parties are paid; an address once set is never replaced")
    public record PayoutAddresses(
            @Schema(description = "Refunds and disputes won by the buyer go here") @Size(max = 128)
            @PayoutAddress(groups = OfAKnownEscrow.class) String buyerPayoutAddress,
            @Schema(description = "Releases and disputes won by the vendor go here") @Size(max = 128)
            @PayoutAddress(groups = OfAKnownEscrow.class) String vendorPayoutAddress) {

        /** Checked once the escrow is found, so that an unknown escrow is a 404 whatever the body says. */
        public interface OfAKnownEscrow {
        }
    }

    public record DisputeRequest(
            @Schema(description = "buyer or vendor", example = "buyer") @NotNull @Pattern(regexp = PARTY,
                    message = "must be buyer or vendor") String raisedBy,
            @Schema(description = "Free text for the arbiter, up to 500 characters") @Size(max = 500) String reason) {
    }

    public record ResolveRequest(
            @Schema(description = "Who the arbiter pays: buyer or vendor", example = "vendor") @NotNull @Pattern(regexp = PARTY,
                    message = "must be buyer or vendor") String winner) {
    }

    @Schema(description = "A payout: the escrow's state afterwards and the transaction that pays")
    public record PayoutView(String escrowId, String status, String kind, String address,
            @Schema(description = "The payout's transaction hash") String txHash, List<String> txHashes,
            @Schema(description = "Atomic units received by the payee: everything at the escrow address less the fee") Long amount,
            Long fee, Instant paidAt, Integer attempts,
            @Schema(description = "Why the last attempt failed, if one did") String error) {

        public static PayoutView of(Escrow e) {
            List<String> hashes = e.payoutTxHashes == null ? List.of() : List.of(e.payoutTxHashes.split(","));
            return new PayoutView(e.id, e.status.name(), e.payoutKind == null ? null : e.payoutKind.operation(), e.payoutAddress,
                    hashes.isEmpty() ? null : hashes.get(0), hashes, e.payoutAmount, e.payoutFee, e.paidAt, e.payoutAttempts,
                    e.payoutError);
        }
    }
}
