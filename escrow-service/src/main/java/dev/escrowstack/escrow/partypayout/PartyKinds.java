package dev.escrowstack.escrow.partypayout;

import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.telemetry.Role;

/**
 * Who builds a payout when the parties hold their keys. The payee's own side builds it (the vendor a release, the
 * buyer a refund): whoever builds the set cannot make it pay itself more than the check lets through, and the
 * other party's signature is the consent. A resolution is built by the arbiter's wallet, as in the custodial path.
 */
final class PartyKinds {

    private PartyKinds() {
    }

    static Role builder(PayoutKind kind) {
        return switch (kind) {
            case RELEASE -> Role.vendor;
            case REFUND -> Role.buyer;
            case RESOLVE_BUYER, RESOLVE_VENDOR -> Role.arbiter;
        };
    }
}
