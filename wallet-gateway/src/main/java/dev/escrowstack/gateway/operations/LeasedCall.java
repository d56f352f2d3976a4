package dev.escrowstack.gateway.operations;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.lease.LeaseProblems;
import dev.escrowstack.gateway.lease.LeasedWallet;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;

/**
 * The guard every call under a lease passes: lease known and active, fencing token right, role in
 * the lease, process healthy; then the {@link CallRoute} takes the process's call lock, checks again
 * (a release or expiry may have won the lock) and makes the call. Failures become problems that say
 * which wallet, which process and what to do.
 */
@ApplicationScoped
public class LeasedCall {

    /** What a call runs against: the process (normally the wallet's own) and the context its spans carry. */
    public record Target(Lease lease, LeasedWallet wallet, RpcCallContext context, WalletProcess process) {
    }

    private final LeaseManager leases;
    private final CallRoute route;

    public LeasedCall(LeaseManager leases, CallRoute route) {
        this.leases = leases;
        this.route = route;
    }

    public <T> T run(String leaseId, Long token, String roleName, String operation, Function<Target, T> work) {
        Role role = Role.parse(roleName).orElseThrow(() -> ProblemException
                .badRequest("unknown role '" + roleName + "'; roles are " + Role.names()).with("role", roleName));
        Lease lease = leases.check(leaseId, token);
        LeasedWallet wallet = lease.wallets().get(role);
        if (wallet == null) {
            throw LeaseProblems.roleNotLeased(lease, roleName);
        }
        if (wallet.unavailable() != null) {
            throw new ProblemException(502, "wallet-unavailable", "Wallet unavailable", wallet.unavailable())
                    .with("role", roleName).with("wallet_id", wallet.walletId());
        }
        if (!wallet.process().healthy()) {
            throw CallProblems.restarting(wallet.process(), wallet);
        }
        return route.run(lease, wallet, operation, work);
    }
}
