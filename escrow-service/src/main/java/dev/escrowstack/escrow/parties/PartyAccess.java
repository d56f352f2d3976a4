package dev.escrowstack.escrow.parties;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;

/**
 * Who a party call comes from: the {@code Party-Token} of a PARTIES escrow, checked against the hash stored at
 * init. The setup's mailbox and the payout's (sync, tx sets) ask the same question the same way.
 */
@ApplicationScoped
public class PartyAccess {

    private final PartyStore store;

    public PartyAccess(PartyStore store) {
        this.store = store;
    }

    /** The party {@code roleName} of a PARTIES escrow, proven by its token: 401 without one, 403 with another's. */
    public Role party(String escrowId, String roleName, String token) {
        Escrow e = parties(escrowId);
        Role role = partyRole(roleName);
        if (token == null || token.isBlank()) {
            throw PartyProblems.missingToken(escrowId);
        }
        if (!PartyTokens.matches(token, role == Role.buyer ? e.buyerTokenSha256 : e.vendorTokenSha256)) {
            throw PartyProblems.forbidden(escrowId, role.name());
        }
        return role;
    }

    /** Which party a token is (for the calls whose path names no role): 401 without a token, 403 with no party's. */
    public Role roleOf(String escrowId, String token) {
        Escrow e = parties(escrowId);
        if (token == null || token.isBlank()) {
            throw PartyProblems.missingToken(escrowId);
        }
        if (PartyTokens.matches(token, e.buyerTokenSha256)) {
            return Role.buyer;
        }
        if (PartyTokens.matches(token, e.vendorTokenSha256)) {
            return Role.vendor;
        }
        throw new ProblemException(403, "forbidden", "Forbidden", "this Party-Token is no party's token of escrow " + escrowId)
                .with("escrow_id", escrowId);
    }

    /** The escrow, which must be non-custodial: 404 when there is none, 409 when the service holds its wallets. */
    public Escrow parties(String escrowId) {
        Escrow e = store.find(escrowId).orElseThrow(() -> EscrowProblems.notFound(escrowId));
        if (e.custody != Custody.PARTIES) {
            throw PartyProblems.notParties(escrowId);
        }
        return e;
    }

    static Role partyRole(String roleName) {
        return Role.parse(roleName).filter(r -> r != Role.arbiter).orElseThrow(() -> ProblemException
                .badRequest("role must be buyer or vendor (the arbiter is the service's own wallet)").with("field", "role"));
    }
}
