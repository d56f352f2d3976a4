package dev.escrowstack.escrow.rest;

import static dev.escrowstack.escrow.security.EscrowRoles.*;

import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.escrow.parties.PartyMailbox;
import dev.escrowstack.escrow.parties.PartyMailbox.ExchangeView;
import dev.escrowstack.escrow.parties.PartyMailbox.RoundView;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The mailbox of a non-custodial setup (custody parties, docs/parties.md). Buyer and vendor authenticate
 * with the token each was given at init, in the {@code Party-Token} header: a token opens one escrow, as
 * one party. Infos are key material: they are answered to the other parties of the escrow, never logged.
 */
@Path("/api/escrow/{id}")
@Tag(name = "Non-custodial setup", description = "Buyer and vendor run the 2-of-3 rounds with wallets of their own")
public class PartyResource {

    /** One party's message body. */
    @Schema(description = "A multisig info of the party's own wallet, as monero-wallet-rpc returned it")
    public record InfoBody(@NotNull String info) {
    }

    @Schema(description = "The multisig address the party's wallet computed after round 3")
    public record AddressBody(@NotNull String address) {
    }

    public record TokenView(String escrowId, String role, String partyToken) {
    }

    private final PartyMailbox mailbox;
    private final SecurityIdentity identity;

    public PartyResource(PartyMailbox mailbox, SecurityIdentity identity) {
        this.mailbox = mailbox;
        this.identity = identity;
    }

    @PermitAll
    @PUT
    @Path("/parties/{role}/rounds/{round}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A party's info for a round", description = "Round 1: prepare_multisig's info; 2: make_multisig's (on the"
            + " other two round-1 infos, threshold 2); 3: the first exchange_multisig_keys' (on the other two round-2 infos). The"
            + " first info counts: the same again is answered 200, a different one 409 info-differs.")
    @APIResponse(responseCode = "201", description = "Received")
    @APIResponse(responseCode = "200", description = "The same info as before: nothing changed")
    @APIResponse(responseCode = "401", description = "No Party-Token")
    @APIResponse(responseCode = "403", description = "Not this party's token for this escrow")
    @APIResponse(responseCode = "409", description = "info-differs, info-for-another-round, round-not-open, setup-ended or"
            + " round-deadline-passed")
    public Response submit(@PathParam("id") String id, @PathParam("role") String role, @PathParam("round") int round,
            @NotNull InfoBody body, @Parameter(description = "The party's token from init") @HeaderParam("Party-Token") String token) {
        boolean created = mailbox.submit(id, role, round, body.info(), token);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(Map.of("escrow_id", id, "role", role, "round", round, "received", true)).build();
    }

    @PermitAll
    @GET
    @Path("/parties/{role}/rounds/{round}")
    @Operation(summary = "The other two infos of a round, once all three are in", description = "Waits up to wait seconds (at"
            + " most escrow.parties.max-wait) for the round to complete; then complete is false and waiting_for says who is"
            + " awaited. Clients need no busy loop.")
    public RoundView round(@PathParam("id") String id, @PathParam("role") String role, @PathParam("round") int round,
            @QueryParam("wait") @DefaultValue("30") int wait, @HeaderParam("Party-Token") String token) {
        return mailbox.round(id, role, round, token, wait);
    }

    @PermitAll
    @PUT
    @Path("/parties/{role}/address")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The multisig address the party's wallet computed", description = "After round 3. The escrow is READY"
            + " when the three addresses agree and the arbiter's wallet is a ready 2-of-3 wallet on it; FAILED otherwise, naming"
            + " the party whose address differs.")
    public Response address(@PathParam("id") String id, @PathParam("role") String role, @NotNull AddressBody body,
            @HeaderParam("Party-Token") String token) {
        boolean created = mailbox.address(id, role, body.address(), token);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(Map.of("escrow_id", id, "role", role, "received", true)).build();
    }

    @PermitAll
    @GET
    @Path("/parties/{role}/exchange")
    @Operation(summary = "The setup's progress, for a party", description = "Per participant and round: SHA-256, size, when"
            + " received, refused resubmissions; the round being collected, its deadline and who is awaited. Never an info.")
    public ExchangeView partyStatus(@PathParam("id") String id, @PathParam("role") String role, @HeaderParam("Party-Token") String token) {
        return mailbox.status(id, role, token);
    }

    @PermitAll
    @GET
    @Path("/rounds/{round}")
    @Operation(summary = "The other two infos of a round, for the party whose token this is", description = "As GET"
            + " /parties/{role}/rounds/{round}, the role taken from the Party-Token.")
    public RoundView roundOfToken(@PathParam("id") String id, @PathParam("round") int round, @QueryParam("wait") @DefaultValue("30") int wait,
            @HeaderParam("Party-Token") String token) {
        return mailbox.round(id, mailbox.roleOf(id, token), round, token, wait);
    }

    @PermitAll
    @GET
    @Path("/exchange")
    @Operation(summary = "The setup's progress", description = "Per participant and round: SHA-256, size, when received, refused"
            + " resubmissions; the round being collected, its deadline and who is awaited. Never an info. For the marketplace,"
            + " the operator and the arbiter (bearer token), or either party (Party-Token).")
    public ExchangeView status(@PathParam("id") String id, @HeaderParam("Party-Token") String token) {
        if (token != null) {
            mailbox.roleOf(id, token);
        } else if (!identity.hasRole(MARKETPLACE) && !identity.hasRole(ARBITER) && !identity.hasRole(OPERATOR)) {
            throw identity.isAnonymous() ? new UnauthorizedException() : new ForbiddenException();
        }
        return mailbox.status(id);
    }

    @RolesAllowed(MARKETPLACE)
    @POST
    @Path("/parties/{role}/token")
    @Operation(summary = "A new token for a party", description = "The old one stops working. For a party that lost its token (it"
            + " is shown once, at init, and stored as a hash only).")
    public TokenView reissue(@PathParam("id") String id, @PathParam("role") String role) {
        return new TokenView(id, role, mailbox.reissue(id, role));
    }
}
