package dev.escrowstack.escrow.rest;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.escrow.parties.PartyAccess;
import dev.escrowstack.escrow.partypayout.PartyPayouts;
import dev.escrowstack.escrow.partypayout.PartyPayouts.FundsView;
import dev.escrowstack.escrow.partypayout.PartyPayouts.PayoutTask;
import dev.escrowstack.escrow.partypayout.SyncEpochs;
import dev.escrowstack.escrow.partypayout.SyncEpochs.SyncView;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.telemetry.Role;

/**
 * A non-custodial escrow's payouts, for its parties (docs/funds.md): the sync epochs' multisig infos, the
 * builder's transaction set and the signer's turn. {@code Party-Token} as in the setup's mailbox.
 */
@Path("/api/escrow/{id}/parties/{role}")
@Tag(name = "Non-custodial payouts", description = "Buyer and vendor build and sign payouts with their own wallets; the service checks"
        + " every transaction set with the arbiter's wallet before anyone signs it")
public class PartyFundsResource {

    @Schema(description = "export_multisig_info's info (hex), for the current sync epoch")
    public record SyncInfo(@NotNull String info) {
    }

    @Schema(description = "What the party imported of the epoch (import_multisig_info's n_outputs, and whose infos)")
    public record Imported(Integer nOutputs, @NotNull List<String> from) {
    }

    @Schema(description = "The builder's transaction set: release (built by the vendor) or refund (built by the buyer)")
    public record Proposal(@NotNull String kind, @NotNull String multisigTxset) {
    }

    @Schema(description = "What submit_multisig answered")
    public record Submitted(@NotNull List<String> txHashes) {
    }

    private final PartyAccess access;
    private final SyncEpochs epochs;
    private final PartyPayouts payouts;

    public PartyFundsResource(PartyAccess access, SyncEpochs epochs, PartyPayouts payouts) {
        this.access = access;
        this.epochs = epochs;
        this.payouts = payouts;
    }

    @PermitAll
    @GET
    @Path("/funds")
    @Operation(summary = "The escrow's funds as a party sees them", description = "Status, the current sync epoch, who exported and"
            + " imported its infos, the recorded payout addresses and the payout (its transaction set only to its signer).")
    public FundsView funds(@PathParam("id") String id, @PathParam("role") String role, @HeaderParam("Party-Token") String token) {
        Role party = access.party(id, role, token);
        return payouts.funds(access.parties(id), party);
    }

    @PermitAll
    @PUT
    @Path("/sync/{epoch}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "A party's export_multisig_info for a sync epoch", description = "The first one counts: the same again is"
            + " 200, a different one 409 info-differs; another epoch than the current one is 409 epoch-not-current.")
    @APIResponse(responseCode = "201", description = "Received")
    @APIResponse(responseCode = "409", description = "info-differs, epoch-not-current or escrow-state-conflict")
    public Response sync(@PathParam("id") String id, @PathParam("role") String role, @PathParam("epoch") int epoch,
            @NotNull SyncInfo body, @HeaderParam("Party-Token") String token) {
        Role party = access.party(id, role, token);
        boolean created = epochs.submit(access.parties(id), party, epoch, body.info());
        payouts.exported(id);
        return Response.status(created ? Response.Status.CREATED : Response.Status.OK)
                .entity(Map.of("escrow_id", id, "role", party.name(), "epoch", epoch, "received", true)).build();
    }

    @PermitAll
    @GET
    @Path("/sync/{epoch}")
    @Operation(summary = "The others' infos of a sync epoch", description = "Waits up to wait seconds until the infos this party needs are"
            + " in: the other party's for a release or refund, the arbiter's in a dispute; infos and from list all present.")
    public SyncView syncView(@PathParam("id") String id, @PathParam("role") String role, @PathParam("epoch") int epoch,
            @QueryParam("wait") @DefaultValue("30") int wait, @HeaderParam("Party-Token") String token) {
        return epochs.view(id, access.party(id, role, token), epoch, wait);
    }

    @PermitAll
    @PUT
    @Path("/sync/{epoch}/imported")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The party imported the epoch's infos", description = "So the service knows, before anyone signs, that"
            + " nobody signs on stale data (sign_multisig: -35).")
    public Map<String, Object> imported(@PathParam("id") String id, @PathParam("role") String role, @PathParam("epoch") int epoch,
            @NotNull Imported body, @HeaderParam("Party-Token") String token) {
        Role party = access.party(id, role, token);
        epochs.imported(access.parties(id), party, epoch, body.from(), body.nOutputs());
        return Map.of("escrow_id", id, "role", party.name(), "epoch", epoch, "imported", body.from());
    }

    @PermitAll
    @PUT
    @Path("/payout")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The builder's transaction set", description = "The arbiter's wallet reads it (describe_transfer) and it is"
            + " handed to the signer only if it pays exactly the recorded payout address everything at the escrow address less the"
            + " fee; otherwise 422 txset-refused and a new sync epoch. 409 stale-multisig-data names a party that has not imported"
            + " the epoch's infos.")
    @APIResponse(responseCode = "202", description = "Accepted: the signer's turn")
    @APIResponse(responseCode = "403", description = "not-the-builder")
    @APIResponse(responseCode = "409", description = "stale-multisig-data, payout-address-missing, payout-in-progress, already-paid-out,"
            + " escrow-state-conflict")
    @APIResponse(responseCode = "422", description = "txset-refused")
    public Response propose(@PathParam("id") String id, @PathParam("role") String role, @NotNull Proposal body,
            @HeaderParam("Party-Token") String token) {
        Role party = access.party(id, role, token);
        PayoutTask task = payouts.propose(access.parties(id), party, body.kind(), body.multisigTxset());
        return Response.accepted(task).build();
    }

    @PermitAll
    @GET
    @Path("/payout")
    @Operation(summary = "The payout, for its signer", description = "Waits up to wait seconds for a payout this party signs; its"
            + " multisig_txset then. 409 stale-multisig-data when this party has not imported the payout's epoch: it syncs first.")
    public PayoutTask payout(@PathParam("id") String id, @PathParam("role") String role, @QueryParam("wait") @DefaultValue("30") int wait,
            @HeaderParam("Party-Token") String token) {
        return payouts.awaiting(id, access.party(id, role, token), wait);
    }

    @PermitAll
    @PUT
    @Path("/payout/submitted")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "The signer submitted the payout", description = "200 PAID once the arbiter's wallet sees the transaction;"
            + " 202 SUBMITTED until then (it is looked for every watch interval).")
    public Response submitted(@PathParam("id") String id, @PathParam("role") String role, @NotNull Submitted body,
            @HeaderParam("Party-Token") String token) {
        Role party = access.party(id, role, token);
        Escrow e = access.parties(id);
        PayoutTask task = payouts.submitted(e, party, body.txHashes());
        return Response.status(task.state().equals("PAID") ? Response.Status.OK : Response.Status.ACCEPTED).entity(task).build();
    }
}
