package dev.escrowstack.gateway.rest;

import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import jakarta.validation.Valid;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
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
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.lease.LeaseProblems;
import dev.escrowstack.gateway.lease.LeaseRequest;
import dev.escrowstack.gateway.lease.LeaseRequests;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.problem.Problems;
import dev.escrowstack.gateway.rest.LeaseDtos.CreateLease;
import dev.escrowstack.gateway.rest.LeaseDtos.LeaseView;
import dev.escrowstack.gateway.rest.LeaseDtos.Renew;
import dev.escrowstack.gateway.rest.LeaseDtos.RpcLogin;
import dev.escrowstack.gateway.security.LeaseLogins;

@Path("/v1/leases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "Leases", description = "Exclusive, fenced holds on wallets and their wallet-rpc processes")
@SecurityRequirement(name = "bearer")
public class LeaseResource {

    static final String FENCING_TOKEN = "Fencing-Token";

    private final LeaseManager leases;
    private final LeaseRequests requests;
    private final LeaseLogins logins;

    public LeaseResource(LeaseManager leases, LeaseRequests requests, LeaseLogins logins) {
        this.leases = leases;
        this.requests = requests;
        this.logins = logins;
    }

    @POST
    @Operation(summary = "Lease wallets", description = "All or nothing: the answer holds every wallet asked for, or none. "
            + "Requests are served first come, first served; when the wait runs out the answer is 503 with Retry-After.")
    @APIResponse(responseCode = "201", description = "Granted; send fencing_token as the Fencing-Token header on every call,"
            + " or use each role's rpc_url with rpc_login from a standard wallet-RPC client")
    @APIResponse(responseCode = "400", description = "Unknown role, bad TTL or wait, malformed body")
    @APIResponse(responseCode = "404", description = "An existing wallet asked for is not known")
    @APIResponse(responseCode = "503", description = "No processes free within the wait; retry after Retry-After seconds")
    public CompletionStage<Response> acquire(@Valid CreateLease body, @Context UriInfo uri) {
        LeaseRequest request = toRequest(body);
        String base = uri.getBaseUri().toString(); // read here: the grant completes outside the request
        return leases.acquire(request).handle((lease, error) -> {
            if (error == null) {
                // Built by hand: the request context is not active on the thread that completes the grant.
                RpcLogin login = new RpcLogin(lease.id(), logins.password(lease.id(), lease.fencingToken()));
                return Response.status(Response.Status.CREATED).header("Location", "/v1/leases/" + lease.id())
                        .entity(LeaseView.granted(lease, base.endsWith("/") ? base : base + "/", login)).build();
            }
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof ProblemException problem) {
                return Problems.toResponse(problem);
            }
            throw new CompletionException(cause);
        });
    }

    @GET
    @Operation(summary = "Active leases, optionally only those of one holder",
            description = "A holder that lost track of its lease (it crashed between the grant and recording it) finds it here.")
    public List<LeaseView> list(@QueryParam("holder") String holder) {
        return leases.active().stream().filter(l -> holder == null || holder.equals(l.holder()))
                .sorted(Comparator.comparing(l -> l.acquiredAt())).map(LeaseView::of).toList();
    }

    @GET
    @Path("/{leaseId}")
    @Operation(summary = "One lease, active or recently ended")
    @APIResponse(responseCode = "404", description = "Unknown lease")
    public LeaseView get(@PathParam("leaseId") String leaseId) {
        return leases.find(leaseId).map(LeaseView::of).orElseThrow(() -> LeaseProblems.notFound(leaseId));
    }

    @POST
    @Path("/{leaseId}/renew")
    @Operation(summary = "Extend a lease's expiry to now + ttl_seconds")
    @APIResponse(responseCode = "409", description = "Stale or foreign fencing token")
    @APIResponse(responseCode = "410", description = "The lease has ended")
    public LeaseView renew(@PathParam("leaseId") String leaseId, @HeaderParam(FENCING_TOKEN) String token, @Valid Renew body) {
        Duration ttl = requests.ttl(body == null ? null : body.ttlSeconds());
        return LeaseView.of(leases.renew(leaseId, token(token), ttl));
    }

    @DELETE
    @Path("/{leaseId}")
    @Operation(summary = "Release a lease: its wallets are stored, closed and returned to the store")
    @APIResponse(responseCode = "204", description = "Released")
    @APIResponse(responseCode = "409", description = "Stale or foreign fencing token")
    @APIResponse(responseCode = "410", description = "Already ended")
    public Response release(@PathParam("leaseId") String leaseId, @HeaderParam(FENCING_TOKEN) String token) {
        leases.release(leaseId, token(token));
        return Response.noContent().build();
    }

    private LeaseRequest toRequest(CreateLease body) {
        if (body == null) {
            throw ProblemException.badRequest("a JSON body is required");
        }
        Map<String, Optional<String>> wallets = new LinkedHashMap<>();
        body.wallets().forEach((role, wanted) -> wallets.put(role, Optional.ofNullable(wanted.walletId())));
        return requests.of(body.holder(), wallets, body.ttlSeconds(), body.waitSeconds());
    }

    static Long token(String header) {
        if (header == null || header.isBlank()) {
            throw LeaseProblems.missingToken();
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest("the Fencing-Token header must be the lease's numeric fencing_token");
        }
    }
}
