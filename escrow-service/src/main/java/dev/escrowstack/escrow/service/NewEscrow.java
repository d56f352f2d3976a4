package dev.escrowstack.escrow.service;

/**
 * What opening an escrow needs, whoever asks: the REST layer maps its request body to this, so the
 * service does not depend on how the API spells things. The payout addresses are optional (null: set later).
 */
public record NewEscrow(String buyerId, String vendorId, long amount, String buyerPayoutAddress, String vendorPayoutAddress) {
}
