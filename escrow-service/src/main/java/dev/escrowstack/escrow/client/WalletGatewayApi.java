package dev.escrowstack.escrow.client;

import java.util.List;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.rest.client.annotation.ClientHeaderParam;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.client.GatewayModels.*;
import io.quarkus.rest.client.reactive.jackson.ClientObjectMapper;

/** wallet-gateway's REST API, one client per pod ({@link Gateways}). Used only through {@link WalletGateway}, which owns retries and errors. */
@ClientHeaderParam(name = "Authorization", value = "Bearer ${wallet-gateway.token}")
@Path("/v1/leases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
interface WalletGatewayApi {

    String FENCING = "Fencing-Token";

    /** Lenient where the service's own API is strict: a newer gateway may answer with fields this one does not know. */
    @ClientObjectMapper
    static ObjectMapper objectMapper(ObjectMapper defaults) {
        return defaults.copy().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    }

    @POST
    Lease acquire(LeaseRequest request);

    @GET
    List<Lease> leasesOf(@QueryParam("holder") String holder);

    @DELETE
    @Path("/{lease}")
    void release(@PathParam("lease") String lease, @HeaderParam(FENCING) long token);

    @GET
    @Path("/{lease}/wallets/{role}/state")
    WalletState state(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token);

    @POST
    @Path("/{lease}/wallets/{role}/refresh")
    Refreshed refresh(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token);

    @POST
    @Path("/{lease}/wallets/{role}/multisig/prepare")
    MultisigInfo prepare(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token);

    @POST
    @Path("/{lease}/wallets/{role}/multisig/make")
    MultisigStep make(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token,
            MakeMultisig body);

    @POST
    @Path("/{lease}/wallets/{role}/multisig/exchange")
    MultisigStep exchange(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token,
            ExchangeKeys body);

    @POST
    @Path("/{lease}/wallets/{role}/multisig/export")
    ExportedInfo export(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token);

    @POST
    @Path("/{lease}/wallets/{role}/multisig/import")
    Imported importInfo(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token,
            ImportInfo body);

    @POST
    @Path("/{lease}/wallets/{role}/sweep")
    Swept sweep(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token, Sweep body);

    @POST
    @Path("/{lease}/wallets/{role}/sign")
    Signed sign(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token, TxSet body);

    @POST
    @Path("/{lease}/wallets/{role}/describe")
    Described describe(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token, TxSet body);

    @POST
    @Path("/{lease}/wallets/{role}/submit")
    Submitted submit(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token,
            TxSet body);

    @GET
    @Path("/{lease}/wallets/{role}/transfers")
    Transfers transfers(@PathParam("lease") String lease, @PathParam("role") String role, @HeaderParam(FENCING) long token);
}
