package dev.escrowstack.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;

import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.lease.LeaseState;
import dev.escrowstack.gateway.rpc.HttpDigest;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.problem.Problems;

/**
 * HTTP digest (RFC 2617, MD5, qop=auth, as monero-wallet-rpc's {@code --rpc-login}) on the pass-through only:
 * {@code POST /v1/leases/{lease}/wallets/{role}/json_rpc} with the lease's login instead of the bearer token and
 * the Fencing-Token header. The challenge is written the way monero-wallet-rpc writes it (no spaces after the
 * commas: clients parse it that way). A valid login stands for the lease's current fencing token.
 */
@ApplicationScoped
public class DigestLogin {

    /** The request property the pass-through reads its fencing token from when the caller logged in this way. */
    public static final String FENCING_TOKEN = "escrow-stack.digest.fencing-token";
    static final Pattern PASS_THROUGH = Pattern.compile("/v1/leases/([^/]+)/wallets/([^/]+)/json_rpc");

    private final LeaseLogins logins;
    private final LeaseManager leases;

    public DigestLogin(LeaseLogins logins, LeaseManager leases) {
        this.logins = logins;
        this.leases = leases;
    }

    /** Empty when the login is right (the fencing token is then a request property); a 401 with a challenge otherwise. */
    Optional<Response> authenticate(ContainerRequestContext request, String leaseId, String header) {
        if (header == null || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
            return Optional.of(challenge("log in with the lease's wallet-RPC login (HTTP digest), or send Authorization: Bearer"));
        }
        Map<String, String> p = params(header.substring(7));
        Optional<Lease> lease = leases.find(leaseId).filter(l -> l.state() == LeaseState.ACTIVE);
        String uri = p.getOrDefault("uri", "");
        // The digest covers the uri the client names; it must be this very path, so a login cannot be replayed elsewhere.
        boolean right = lease.isPresent() && leaseId.equals(p.get("username")) && LeaseLogins.REALM.equals(p.get("realm"))
                && logins.fresh(p.get("nonce")) && (uri.endsWith(request.getUriInfo().getRequestUri().getRawPath()))
                && MessageDigest.isEqual(expected(p, request.getMethod(), logins.password(leaseId, lease.get().fencingToken()))
                        .getBytes(StandardCharsets.US_ASCII), p.getOrDefault("response", "").getBytes(StandardCharsets.US_ASCII));
        if (!right) {
            return Optional.of(challenge(lease.isEmpty() ? "the lease has ended or is not known: its login opens nothing"
                    : "the login does not match this lease"));
        }
        request.setProperty(FENCING_TOKEN, lease.get().fencingToken());
        return Optional.empty();
    }

    /** The digest challenge alone: clients written for monero-wallet-rpc read the header as one challenge. */
    private Response challenge(String detail) {
        return Problems.toResponse(new ProblemException(401, "unauthorized", "Unauthorized", detail).challenge(
                "Digest qop=\"auth\",algorithm=MD5,realm=\"" + LeaseLogins.REALM + "\",nonce=\"" + logins.nonce() + "\",stale=false"));
    }

    static String expected(Map<String, String> p, String method, String password) {
        return HttpDigest.response(method, p.get("uri"), p.get("username"), p.get("realm"), password, p.get("nonce"), p.get("qop"),
                p.get("nc"), p.get("cnonce"));
    }

    static Map<String, String> params(String header) {
        return HttpDigest.params(header);
    }
}
