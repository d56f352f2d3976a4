package dev.escrowstack.escrow.rest;

import static dev.escrowstack.escrow.security.EscrowRoles.*;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.escrow.funds.FundingCheck;
import dev.escrowstack.escrow.funds.FundingStatus;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.rest.EscrowDtos.EscrowPage;
import dev.escrowstack.escrow.rest.EscrowDtos.EscrowView;
import dev.escrowstack.escrow.rest.EscrowDtos.InitRequest;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.escrow.service.EscrowService;

@Path("/api/escrow")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Escrows", description = "2-of-3 Monero multisig escrows: buyer, vendor, arbiter")
public class EscrowResource {

    private final EscrowService service;
    private final FundingCheck funding;

    public EscrowResource(EscrowService service, FundingCheck funding) {
        this.funding = funding;
        this.service = service;
    }

    @RolesAllowed(MARKETPLACE)
    @POST
    @Path("/init")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Open an escrow", description = "Leases three new wallets from wallet-gateway and runs the 2-of-3 "
            + "multisig setup (prepare, make_multisig, two exchange_multisig_keys rounds), then checks that all three wallets "
            + "share one address. Answers when the escrow is READY (or FAILED). With custody parties, leases only the arbiter's"
            + " wallet, prepares it and answers AWAITING_PARTIES with each party's token: buyer and vendor then run the rounds"
            + " with wallets of their own through the mailbox (docs/parties.md).")
    @APIResponse(responseCode = "201", description = "READY, with its multisig address",
            content = @Content(schema = @Schema(implementation = EscrowView.class)))
    @APIResponse(responseCode = "200", description = "A retry with the same Idempotency-Key: the same escrow")
    @APIResponse(responseCode = "400", description = "Invalid parties or amount; the problem names the field")
    @APIResponse(responseCode = "422", description = "Idempotency-Key reused with a different body")
    @APIResponse(responseCode = "502", description = "A wallet failed; the problem names where it surfaced (round, role, operation,"
            + " the wallet's error; surfaced: every wallet that failed) and its root cause as the analyzer diagnoses it (root_cause:"
            + " pattern, wallet and role at fault, round, state before, evidence, fix)")
    @APIResponse(responseCode = "503", description = "No wallets free in time, or the database unreachable; retry after"
            + " Retry-After seconds")
    public Response init(@Valid @NotNull InitRequest request,
            @Parameter(description = "Any string up to 255 characters; a retry with it returns the same escrow")
            @HeaderParam("Idempotency-Key") String idempotencyKey) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 255)) {
            throw EscrowProblems.field("Idempotency-Key", "must be 1-255 characters");
        }
        EscrowService.Outcome outcome = service.init(request.toCommand(), idempotencyKey);
        EscrowView view = EscrowView.of(outcome.escrow(), outcome.partyTokens());
        if (outcome.replayed()) {
            return Response.ok(view).header("Idempotent-Replayed", "true").build();
        }
        return Response.status(Response.Status.CREATED).header("Location", "/api/escrow/" + view.escrowId()).entity(view).build();
    }

    @RolesAllowed({ MARKETPLACE, ARBITER, OPERATOR })
    @GET
    @Path("/{id}")
    @Operation(summary = "One escrow")
    @APIResponse(responseCode = "404", description = "No such escrow")
    public EscrowView get(@PathParam("id") String id) {
        return service.find(id).map(EscrowView::of).orElseThrow(() -> EscrowProblems.notFound(id));
    }

    @RolesAllowed({ MARKETPLACE, ARBITER, OPERATOR })
    @GET
    @Path("/{id}/funding")
    @Operation(summary = "What the escrow's multisig address holds",
            description = "Refreshes the escrow's arbiter wallet against the daemon (wallet-gateway must run with one, e.g."
                    + " MONEROD=regtest ./stack up) and compares what arrived with the amount: AWAITING_FUNDS, UNDERFUNDED (less"
                    + " than the amount: the escrow stays READY), CONFIRMING (fewer confirmations than escrow.funds.confirmations,"
                    + " or not spendable yet), FUNDED, OVERFUNDED (surplus shown). The first check that sees FUNDED or OVERFUNDED"
                    + " moves the escrow from READY to FUNDED, as the funding watcher would. After a payout it answers from the"
                    + " last check.")
    @APIResponse(responseCode = "404", description = "No such escrow")
    @APIResponse(responseCode = "409", description = "The escrow has no multisig address (INITIALIZING or FAILED), or the funds"
            + " path is disabled")
    @APIResponse(responseCode = "503", description = "The escrow's wallet was busy; retry after Retry-After seconds")
    public FundingStatus funding(@PathParam("id") String id) {
        return funding.check(service.find(id).orElseThrow(() -> EscrowProblems.notFound(id)));
    }

    @RolesAllowed(OPERATOR)
    @GET
    @Operation(summary = "Escrows, newest first")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = "From 0; default 0", schema = @Schema(type = SchemaType.INTEGER))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = "1 to 100; default 20", schema = @Schema(type = SchemaType.INTEGER))
    public EscrowPage list(
            @Parameter(description = "One state", schema = @Schema(type = SchemaType.STRING, enumeration = { "INITIALIZING", "READY",
                    "FAILED", "FUNDED", "DISPUTED", "PAYOUT_PENDING", "RELEASED", "REFUNDED", "RESOLVED" }))
            @QueryParam("status") String status,
            @Context UriInfo uri) {
        EscrowStatus wanted = parseStatus(status);
        int p = bounded("page", given(uri, "page"), 0, 0, 1_000_000);
        int s = bounded("size", given(uri, "size"), 20, 1, 100);
        return new EscrowPage(service.page(wanted, p, s).stream().map(EscrowView::of).toList(), p, s, service.count(wanted));
    }

    private static EscrowStatus parseStatus(String status) {
        if (status == null || status.isBlank()) {
            return null;
        }
        try {
            return EscrowStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw EscrowProblems.field("status", "must be one of " + Arrays.toString(EscrowStatus.values()));
        }
    }

    /** A query parameter as sent: null when absent, "" for {@code ?page=} (which @QueryParam turns into null). */
    private static String given(UriInfo uri, String name) {
        List<String> values = uri.getQueryParameters().get(name);
        return values == null || values.isEmpty() ? null : values.get(0) == null ? "" : values.get(0);
    }

    /** Absent: the default. Present, even empty ({@code ?page=}): a whole number in range, else a 400. */
    private static int bounded(String name, String value, int absent, int min, int max) {
        if (value == null) {
            return absent;
        }
        try {
            int v = Integer.parseInt(value.trim());
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw EscrowProblems.field(name, "must be a whole number from " + min + " to " + max);
    }

}
