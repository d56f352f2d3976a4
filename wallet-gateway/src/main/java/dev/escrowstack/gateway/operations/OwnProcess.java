package dev.escrowstack.gateway.operations;

import java.time.Duration;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.lease.LeaseProblems;
import dev.escrowstack.gateway.lease.LeasedWallet;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.WalletRpcError;
import dev.escrowstack.gateway.rpc.WalletRpcUnavailable;
import dev.escrowstack.problem.ProblemException;

/**
 * The normal route: the call runs on the wallet's own process, holding its call lock, after checking
 * again that the lease still holds the process (a release or expiry may have won the lock).
 * {@code @Typed}: it is the {@link CallRoute} only where the start-up choice (fault.FaultSwitch) makes it so.
 */
@ApplicationScoped
@Typed(OwnProcess.class)
public class OwnProcess implements CallRoute {

    private final LeaseManager leases;
    private final Duration lockWait;

    public OwnProcess(LeaseManager leases, GatewayConfig config) {
        this.leases = leases;
        this.lockWait = config.rpc().callTimeout();
    }

    @Override
    public <T> T run(Lease lease, LeasedWallet wallet, String operation, Function<LeasedCall.Target, T> work) {
        WalletProcess process = wallet.process();
        String role = wallet.role().name();
        boolean locked;
        try {
            locked = process.beginCall(operation, lockWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "interrupted", "Interrupted", "the gateway is shutting down");
        }
        if (!locked) {
            throw new ProblemException(409, "wallet-busy", "Wallet busy",
                    "another call on the " + role + " wallet has held it for over " + lockWait.toSeconds() + " s");
        }
        try {
            if (!leases.stillHolds(lease, wallet)) {
                throw LeaseProblems.ended(lease);
            }
            if (!process.healthy()) {
                throw CallProblems.restarting(process, wallet);
            }
            long generation = process.generation();
            RpcCallContext context = new RpcCallContext(lease.holder(), role, lease.id(), wallet.walletId(), process.index());
            try {
                return work.apply(new LeasedCall.Target(lease, wallet, context, process));
            } catch (WalletRpcError e) {
                throw CallProblems.refused(e, wallet, process);
            } catch (WalletRpcUnavailable e) {
                throw CallProblems.unavailable(e, process, wallet, generation);
            }
        } finally {
            process.endCall();
        }
    }
}
