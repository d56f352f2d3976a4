package dev.escrowstack.gateway.rest;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.fasterxml.jackson.databind.JsonNode;

import dev.escrowstack.gateway.operations.PassThrough;
import dev.escrowstack.gateway.operations.WalletApi.*;
import dev.escrowstack.gateway.operations.WalletOperations;
import dev.escrowstack.gateway.security.DigestLogin;

/**
 * Wallet operations under a lease. Every call names the lease and role in the path and carries the
 * lease's fencing token in the {@code Fencing-Token} header.
 */
@Path("/v1/leases/{leaseId}/wallets/{role}")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Wallet operations", description = "Typed wallet operations and a JSON-RPC pass-through, under a lease")
@SecurityRequirement(name = "bearer")
@APIResponse(responseCode = "409", description = "Stale or foreign fencing token")
@APIResponse(responseCode = "410", description = "The lease has ended")
@APIResponse(responseCode = "422", description = "The wallet refused the call; wallet_rpc_error_code and _message say why")
@APIResponse(responseCode = "502", description = "The wallet's process crashed or is unreachable")
@APIResponse(responseCode = "503", description = "The wallet's process is restarting; retry after Retry-After seconds")
public class WalletResource {

    private final WalletOperations operations;
    private final PassThrough passThrough;

    public WalletResource(WalletOperations operations, PassThrough passThrough) {
        this.operations = operations;
        this.passThrough = passThrough;
    }

    @GET
    @Path("/state")
    @Operation(summary = "Snapshot: multisig state, address (and its hash), balances, whether the wallet file exists")
    public WalletState state(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token) {
        return operations.state(lease, LeaseResource.token(token), role);
    }

    @POST
    @Path("/multisig/prepare")
    @Operation(summary = "Round 1: prepare_multisig (with enable_multisig_experimental)")
    public MultisigInfo prepare(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token) {
        return operations.prepare(lease, LeaseResource.token(token), role);
    }

    @POST
    @Path("/multisig/make")
    @Operation(summary = "make_multisig with the OTHER participants' round-1 infos")
    public MultisigStep make(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull MakeMultisig body) {
        return operations.make(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/multisig/exchange")
    @Operation(summary = "exchange_multisig_keys (rounds 2 and 3)")
    public MultisigStep exchange(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull ExchangeKeys body) {
        return operations.exchange(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/multisig/export")
    @Operation(summary = "export_multisig_info, before a multisig spend")
    public ExportedInfo export(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token) {
        return operations.export(lease, LeaseResource.token(token), role);
    }

    @POST
    @Path("/multisig/import")
    @Operation(summary = "import_multisig_info of the other participants")
    public Imported importInfo(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull ImportInfo body) {
        return operations.importInfo(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/transfer")
    @Operation(summary = "transfer; from a multisig wallet it returns a multisig_txset to be signed by another participant")
    public Transferred transfer(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull Transfer body) {
        return operations.transfer(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/sign")
    @Operation(summary = "sign_multisig a multisig tx set")
    public Signed sign(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull TxSet body) {
        return operations.sign(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/submit")
    @Operation(summary = "submit_multisig a fully signed tx set")
    public Submitted submit(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull TxSet body) {
        return operations.submit(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/describe")
    @Operation(summary = "describe_transfer of a multisig tx set: what it spends, whom it pays, the fee and any change")
    public Described describe(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull TxSet body) {
        return operations.describe(lease, LeaseResource.token(token), role, body);
    }

    @POST
    @Path("/sweep")
    @Operation(summary = "sweep_all to one address; from a multisig wallet it returns a multisig_txset to be signed by another participant")
    public Swept sweep(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Valid @NotNull Sweep body) {
        return operations.sweep(lease, LeaseResource.token(token), role, body);
    }

    @GET
    @Path("/transfers")
    @Operation(summary = "get_transfers: incoming and outgoing, confirmed and in the pool, with confirmations")
    public Transfers transfers(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token) {
        return operations.transfers(lease, LeaseResource.token(token), role);
    }

    @POST
    @Path("/refresh")
    @Operation(summary = "refresh from the daemon")
    public Refreshed refresh(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token) {
        return operations.refresh(lease, LeaseResource.token(token), role);
    }

    @POST
    @Path("/json_rpc")
    @Operation(summary = "JSON-RPC pass-through", description = "Forwards one JSON-RPC request to the leased wallet and "
            + "returns its reply unchanged. Only methods that act on the open wallet are allowed; open/close/create/restore "
            + "wallet, stop_wallet, change_wallet_password, query_key, set_daemon and unknown methods are refused with 403. "
            + "The wallet's password on make_multisig and exchange_multisig_keys is the gateway's, whatever the caller sends. "
            + "Besides the bearer token and Fencing-Token, the lease's wallet-RPC login (rpc_login of the grant, HTTP digest "
            + "as monero-wallet-rpc's --rpc-login) is accepted here, so a standard wallet-RPC client works unchanged.")
    @APIResponse(responseCode = "403", description = "Method refused under a lease")
    public JsonNode jsonRpc(@PathParam("leaseId") String lease, @PathParam("role") String role,
            @HeaderParam(LeaseResource.FENCING_TOKEN) String token, @Context ContainerRequestContext request, JsonNode body) {
        // Logged in with the lease's wallet-RPC login: the login stands for the lease's fencing token.
        Object loggedIn = request.getProperty(DigestLogin.FENCING_TOKEN);
        return passThrough.forward(lease, loggedIn instanceof Long t ? t : LeaseResource.token(token), role, body);
    }
}
