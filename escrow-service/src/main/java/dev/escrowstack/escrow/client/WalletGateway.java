package dev.escrowstack.escrow.client;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.client.GatewayModels.*;
import dev.escrowstack.telemetry.Role;
import io.quarkus.logging.Log;

/**
 * escrow-service's view of wallet-gateway. The lease call is retried on 503, honouring Retry-After,
 * until a deadline: waiting for wallets is safe. Wallet steps are never retried: a make_multisig or
 * exchange whose answer was lost may have happened, and repeating it would corrupt the setup.
 * <p>
 * With several gateway pods, a lease names its pod and every step of it goes there: one lease holds all
 * the wallets it needs on one pod, never across pods.
 */
@ApplicationScoped
public class WalletGateway {

    private static final Duration MAX_WAIT_PER_CALL = Duration.ofSeconds(300);

    private final Gateways gateways;
    private final ObjectMapper json;

    public WalletGateway(Gateways gateways, ObjectMapper json) {
        this.gateways = gateways;
        this.json = json;
    }

    /**
     * The wallets of {@code roles} at once — new ones, except the roles {@code existing} names a wallet
     * id for — waiting for free ones until {@code patience} runs out. {@code gateway}: the pod the escrow's
     * wallets are on; null for a new escrow, which takes the first pod in its preference order that has
     * wallets free (one that does not answer is skipped: a new escrow has nothing there yet). Closing the
     * answer releases the lease.
     */
    public HeldLease acquire(String escrowId, String gateway, List<Role> roles, Map<Role, String> existing, Duration ttl,
            Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        Map<Role, Map<String, String>> wallets = new LinkedHashMap<>();
        roles.forEach(r -> wallets.put(r, existing.containsKey(r) ? Map.of("wallet_id", existing.get(r)) : Map.of()));
        List<String> candidates = gateway != null ? List.of(gateways.resolve(gateway)) : gateways.preference(escrowId);
        while (true) {
            Duration retryAfter = null;
            GatewayCallFailed unreachable = null;
            for (String pod : candidates) {
                Duration left = Duration.ofNanos(deadline - System.nanoTime());
                // One pod: wait in its queue. Several: ask each without waiting, so a free pod is found at once.
                long wait = candidates.size() > 1 ? 0 : Math.max(0, Math.min(left.toSeconds(), MAX_WAIT_PER_CALL.toSeconds()));
                try {
                    Lease lease = gateways.client(pod).acquire(new LeaseRequest(escrowId, wallets, ttl.toSeconds(), wait));
                    return new HeldLease(this, lease.on(pod));
                } catch (WebApplicationException e) {
                    Response r = e.getResponse();
                    if (r.getStatus() != 503) {
                        throw failure("lease", e);
                    }
                    Duration after = retryAfter(r);
                    retryAfter = retryAfter == null || after.compareTo(retryAfter) < 0 ? after : retryAfter;
                } catch (ProcessingException e) {
                    unreachable = unreachable("lease", e);
                }
            }
            if (retryAfter == null) {
                throw unreachable; // every candidate failed to answer
            }
            Duration left = Duration.ofNanos(deadline - System.nanoTime());
            if (left.compareTo(retryAfter) <= 0) {
                throw new GatewayBusy("wallet-gateway had no free wallets for " + patience.toSeconds() + " s", retryAfter);
            }
            sleep(retryAfter);
        }
    }

    /** Best effort: a lease that cannot be released expires on its own. Callers close their {@link HeldLease}. */
    void release(Lease lease) {
        release(lease.gateway(), lease.leaseId(), lease.fencingToken());
    }

    public void release(String gateway, String leaseId, long token) {
        try {
            gateways.client(gateway).release(leaseId, token);
        } catch (WebApplicationException e) {
            int status = e.getResponse().getStatus();
            if (status != 404 && status != 410) {
                Log.warnf("releasing lease %s failed with HTTP %d; it will expire", leaseId, status);
            }
        } catch (ProcessingException e) {
            Log.warnf("releasing lease %s failed (%s); it will expire", leaseId, e.getMessage());
        }
    }

    /**
     * Releases every lease any gateway pod holds for {@code holder}: how a restarted service frees a lease it
     * was granted but died before recording (on whichever pod granted it).
     */
    public void releaseAllOf(String holder) {
        for (String pod : gateways.urls().keySet()) {
            try {
                gateways.client(pod).leasesOf(holder).forEach(lease -> release(lease.on(pod)));
            } catch (WebApplicationException | ProcessingException e) {
                Log.warnf("could not list the leases of %s on %s (%s); they will expire", holder, pod, e.getMessage());
            }
        }
    }

    public MultisigInfo prepare(Lease lease, Role role) {
        return call("prepare_multisig", () -> api(lease).prepare(lease.leaseId(), role.name(), lease.fencingToken()));
    }

    public MultisigStep make(Lease lease, Role role, List<String> infos, int threshold) {
        return call("make_multisig", () -> api(lease).make(lease.leaseId(), role.name(), lease.fencingToken(), new MakeMultisig(infos, threshold)));
    }

    public MultisigStep exchange(Lease lease, Role role, List<String> infos) {
        return call("exchange_multisig_keys", () -> api(lease).exchange(lease.leaseId(), role.name(), lease.fencingToken(), new ExchangeKeys(infos)));
    }

    /** Syncs the wallet with the daemon (wallet-gateway's processes run offline unless one is configured). */
    public Refreshed refresh(Lease lease, Role role) {
        return call("refresh", () -> api(lease).refresh(lease.leaseId(), role.name(), lease.fencingToken()));
    }

    public WalletState state(Lease lease, Role role) {
        return call("state", () -> api(lease).state(lease.leaseId(), role.name(), lease.fencingToken()));
    }

    public ExportedInfo export(Lease lease, Role role) {
        return call("export_multisig_info", () -> api(lease).export(lease.leaseId(), role.name(), lease.fencingToken()));
    }

    public Imported importInfo(Lease lease, Role role, List<String> infos) {
        return call("import_multisig_info", () -> api(lease).importInfo(lease.leaseId(), role.name(), lease.fencingToken(), new ImportInfo(infos)));
    }

    /** Everything the wallet holds, to {@code address}; from a multisig wallet, a tx set for another signer. */
    public Swept sweep(Lease lease, Role role, String address) {
        return call("sweep_all", () -> api(lease).sweep(lease.leaseId(), role.name(), lease.fencingToken(), new Sweep(address, null)));
    }

    public Signed sign(Lease lease, Role role, String txset) {
        return call("sign_multisig", () -> api(lease).sign(lease.leaseId(), role.name(), lease.fencingToken(), new TxSet(txset)));
    }

    /** Not retried, like every wallet step: a submit whose answer was lost may be on the chain. */
    public Submitted submit(Lease lease, Role role, String signed) {
        return call("submit_multisig", () -> api(lease).submit(lease.leaseId(), role.name(), lease.fencingToken(), new TxSet(signed)));
    }

    /** What a multisig tx set spends and pays, read with this wallet's view key: nothing is signed. */
    public Described describe(Lease lease, Role role, String txset) {
        return call("describe_transfer", () -> api(lease).describe(lease.leaseId(), role.name(), lease.fencingToken(), new TxSet(txset)));
    }

    public Transfers transfers(Lease lease, Role role) {
        return call("get_transfers", () -> api(lease).transfers(lease.leaseId(), role.name(), lease.fencingToken()));
    }

    private WalletGatewayApi api(Lease lease) {
        return gateways.client(lease.gateway());
    }

    private <T> T call(String operation, Supplier<T> call) {
        try {
            return call.get();
        } catch (WebApplicationException e) {
            throw failure(operation, e);
        } catch (ProcessingException e) {
            throw unreachable(operation, e);
        }
    }

    private GatewayCallFailed failure(String operation, WebApplicationException e) {
        Response r = e.getResponse();
        String type = "http-" + r.getStatus();
        String detail = "wallet-gateway answered HTTP " + r.getStatus();
        Integer code = null;
        Integer port = null;
        try {
            JsonNode problem = json.readTree(r.readEntity(String.class));
            type = problem.path("type").asText(type).replaceFirst(".*:", "");
            detail = problem.path("detail").asText(detail);
            code = problem.hasNonNull("wallet_rpc_error_code") ? problem.get("wallet_rpc_error_code").asInt() : null;
            port = problem.hasNonNull("port") ? problem.get("port").asInt() : null;
        } catch (Exception unreadable) {
            // keep the status-only description
        }
        return new GatewayCallFailed(operation, r.getStatus(), type, detail, code).servedBy(port);
    }

    private static GatewayCallFailed unreachable(String operation, ProcessingException e) {
        // A lost answer is not a "no": the step may have happened, which is why it is never repeated.
        return new GatewayCallFailed(operation, 0, "gateway-unreachable",
                "no answer from wallet-gateway (" + e.getMessage() + "); " + operation + " may or may not have happened", null);
    }

    private static Duration retryAfter(Response r) {
        try {
            return Duration.ofSeconds(Math.max(1, Long.parseLong(r.getHeaderString("Retry-After").trim())));
        } catch (RuntimeException e) {
            return Duration.ofSeconds(2);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new GatewayBusy("interrupted while waiting for wallets", d);
        }
    }
}
