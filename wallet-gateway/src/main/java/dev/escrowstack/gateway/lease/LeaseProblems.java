package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.time.Duration;

import dev.escrowstack.problem.ProblemException;

/** The lease errors a client can get, in one place so their types and statuses stay consistent. */
public final class LeaseProblems {

    private LeaseProblems() {
    }

    public static ProblemException notFound(String leaseId) {
        return new ProblemException(404, "lease-not-found", "Lease not found",
                "no lease " + leaseId + " is known to this gateway (it may belong to another pod, or the gateway restarted)")
                .with("lease_id", leaseId);
    }

    public static ProblemException ended(Lease lease) {
        return new ProblemException(410, "lease-ended", "Lease has ended",
                "lease " + lease.id() + " is " + lease.state().name().toLowerCase()
                        + "; its wallets were stored and closed and may now belong to another lease")
                .with("lease_id", lease.id()).with("state", lease.state().name());
    }

    public static ProblemException missingToken() {
        return new ProblemException(400, "fencing-token-required", "Fencing token required",
                "send the lease's fencing token in the Fencing-Token header");
    }

    public static ProblemException staleToken(Lease lease, long given) {
        return new ProblemException(409, "stale-fencing-token", "Stale or foreign fencing token",
                "fencing token " + given + " does not belong to lease " + lease.id()
                        + "; a holder with an old or foreign token must not touch these wallets")
                .with("lease_id", lease.id());
    }

    public static ProblemException roleNotLeased(Lease lease, String role) {
        return new ProblemException(404, "role-not-in-lease", "Role not in lease",
                "lease " + lease.id() + " holds no wallet for role '" + role + "'")
                .with("lease_id", lease.id()).with("role", role);
    }

    public static ProblemException unknownWallet(String walletId) {
        return new ProblemException(404, "wallet-not-found", "Wallet not found",
                "no wallet '" + walletId + "' exists in this gateway's store").with("wallet_id", walletId);
    }

    public static ProblemException poolBusy(Duration waited, Duration retryAfter, int queued) {
        return new ProblemException(503, "pool-busy", "No wallets available",
                "the lease could not be granted within " + waited.toMillis() + " ms: every process is leased; "
                        + queued + " requests still waiting")
                .with("queued", queued)
                .retryAfter(retryAfter);
    }

    public static ProblemException grantFailed(Role role, String detail) {
        return new ProblemException(502, "lease-setup-failed", "Lease could not be set up",
                "opening the " + role + " wallet failed: " + detail).with("role", role.name());
    }
}
