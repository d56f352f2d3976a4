package dev.escrowstack.escrow.rest;

import static dev.escrowstack.escrow.security.EscrowRoles.*;

import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.Valid;
import jakarta.validation.Validator;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.escrow.partypayout.PartyPayouts;
import dev.escrowstack.escrow.payout.Payouts;
import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.security.Caller;
import dev.escrowstack.escrow.persistence.PayoutKind;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.escrow.rest.EscrowDtos.EscrowView;
import dev.escrowstack.escrow.rest.PayoutDtos.DisputeRequest;
import dev.escrowstack.escrow.rest.PayoutDtos.PayoutAddresses;
import dev.escrowstack.escrow.rest.PayoutDtos.PayoutView;
import dev.escrowstack.escrow.rest.PayoutDtos.ResolveRequest;
import dev.escrowstack.escrow.service.EscrowService;
import dev.escrowstack.telemetry.Role;

@Path("/api/escrow/{id}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Funds", description = "Payout addresses, release, refund, dispute and the arbiter's resolution; each payout is a"
        + " 2-of-3 multisig transaction, made once")
@APIResponse(responseCode = "404", description = "No such escrow")
@APIResponse(responseCode = "409", description = "Not possible in the escrow's state (the problem names it), already paid out, a"
        + " payout in progress, or the funds path disabled")
public class PayoutResource {

    private static final String PAYOUT = "Exports and cross-imports the multisig info of the two wallets involved, sweeps the escrow"
            + " address to the payee from one, signs and submits from the other. The payee gets everything at the address less the"
            + " network fee. A READY escrow is checked for funds first.";

    private final Payouts payouts;
    private final EscrowService escrows;
    private final Validator validator;
    private final PartyPayouts partyPayouts;
    private final Caller caller;

    public PayoutResource(Payouts payouts, EscrowService escrows, Validator validator, PartyPayouts partyPayouts, Caller caller) {
        this.partyPayouts = partyPayouts;
        this.caller = caller;
        this.payouts = payouts;
        this.escrows = escrows;
        this.validator = validator;
    }

    @RolesAllowed(MARKETPLACE)
    @PUT
    @Path("/payout-addresses")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Set the parties' payout addresses", description = "Monero addresses of the configured network (a"
            + " regtest chain uses mainnet addresses). An address already set is never replaced: 409.")
    @APIResponse(responseCode = "400", description = "Not an address of the configured network; the problem names the field")
    public EscrowView addresses(@PathParam("id") String id, @Valid @NotNull PayoutAddresses body) {
        escrows.find(id).orElseThrow(() -> EscrowProblems.notFound(id));
        Set<ConstraintViolation<PayoutAddresses>> wrong = validator.validate(body, PayoutAddresses.OfAKnownEscrow.class);
        if (!wrong.isEmpty()) {
            throw new ConstraintViolationException(wrong);
        }
        return EscrowView.of(payouts.addresses(id, body.buyerPayoutAddress(), body.vendorPayoutAddress()));
    }

    @RolesAllowed(MARKETPLACE)
    @POST
    @Path("/release")
    @Operation(summary = "Release a FUNDED escrow to the vendor (buyer builds, vendor signs)", description = PAYOUT)
    @APIResponse(responseCode = "200", description = "RELEASED, with the transaction hash")
    @APIResponse(responseCode = "502", description = "The payout failed and nothing was paid (the escrow is FUNDED again), or its"
            + " outcome is unknown (it stays PAYOUT_PENDING and is reconciled; never paid twice)")
    @APIResponse(responseCode = "503", description = "The escrow's wallets were busy; retry after Retry-After seconds")
    public PayoutView release(@PathParam("id") String id) {
        return PayoutView.of(payouts.pay(id, PayoutKind.RELEASE));
    }

    @RolesAllowed(MARKETPLACE)
    @POST
    @Path("/refund")
    @Operation(summary = "Refund a FUNDED escrow to the buyer (vendor builds, buyer signs)", description = PAYOUT)
    @APIResponse(responseCode = "200", description = "REFUNDED, with the transaction hash")
    @APIResponse(responseCode = "502", description = "The payout failed (FUNDED again) or its outcome is unknown (reconciled)")
    @APIResponse(responseCode = "503", description = "The escrow's wallets were busy; retry after Retry-After seconds")
    public PayoutView refund(@PathParam("id") String id) {
        return PayoutView.of(payouts.pay(id, PayoutKind.REFUND));
    }

    @RolesAllowed(MARKETPLACE)
    @POST
    @Path("/dispute")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Dispute a FUNDED escrow", description = "From now on only the arbiter's resolution pays out.")
    @APIResponse(responseCode = "200", description = "DISPUTED")
    public EscrowView dispute(@PathParam("id") String id, @Valid @NotNull DisputeRequest body) {
        Escrow e = payouts.dispute(id, Role.valueOf(body.raisedBy()), body.reason());
        if (e.custody == Custody.PARTIES) {
            partyPayouts.disputed(id);
        }
        return EscrowView.of(escrows.find(id).orElseThrow());
    }

    @RolesAllowed(ARBITER)
    @POST
    @Path("/resolve")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The arbiter settles a DISPUTED escrow for the buyer or the vendor (arbiter builds, the winner signs)",
            description = PAYOUT)
    @APIResponse(responseCode = "200", description = "RESOLVED, with the transaction hash; non-custodial: PAYOUT_PENDING, the"
            + " arbiter's half signed, the winner signs next (re-issued when called again before the winner signed)")
    @APIResponse(responseCode = "202", description = "Non-custodial: the ruling is recorded and built when the winner's multisig"
            + " info of the current sync epoch arrives (escrow-party sync)")
    @APIResponse(responseCode = "502", description = "The payout failed (DISPUTED again) or its outcome is unknown (reconciled)")
    @APIResponse(responseCode = "503", description = "The escrow's wallets were busy; retry after Retry-After seconds")
    public Response resolve(@PathParam("id") String id, @Valid @NotNull ResolveRequest body) {
        Escrow e = escrows.find(id).orElseThrow(() -> EscrowProblems.notFound(id));
        if (e.custody != Custody.PARTIES) {
            return Response.ok(PayoutView.of(payouts.pay(id, PayoutKind.resolvingFor(Role.valueOf(body.winner()))))).build();
        }
        // The winner signs with its own wallet: the arbiter's half is ready (200) or waits for the winner's sync (202).
        Escrow ruled = partyPayouts.resolve(e, Role.valueOf(body.winner()), caller.subject());
        return Response.status(ruled.status == EscrowStatus.PAYOUT_PENDING ? 200 : 202).entity(EscrowView.of(ruled)).build();
    }
}
