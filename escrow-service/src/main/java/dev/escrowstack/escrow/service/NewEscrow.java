package dev.escrowstack.escrow.service;

import dev.escrowstack.escrow.persistence.Custody;

/**
 * What opening an escrow needs, whoever asks: the REST layer maps its request body to this, so the
 * service does not depend on how the API spells things. The payout addresses are optional (null: set later);
 * {@code custody} PARTIES makes a non-custodial escrow (docs/parties.md).
 */
public record NewEscrow(String buyerId, String vendorId, long amount, String buyerPayoutAddress, String vendorPayoutAddress,
        Custody custody) {

    public NewEscrow(String buyerId, String vendorId, long amount, String buyerPayoutAddress, String vendorPayoutAddress) {
        this(buyerId, vendorId, amount, buyerPayoutAddress, vendorPayoutAddress, Custody.SERVICE);
    }
}
