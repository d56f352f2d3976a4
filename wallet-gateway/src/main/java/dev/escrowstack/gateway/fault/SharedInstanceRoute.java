package dev.escrowstack.gateway.fault;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Typed;

import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeasedWallet;
import dev.escrowstack.gateway.operations.CallProblems;
import dev.escrowstack.gateway.operations.CallRoute;
import dev.escrowstack.gateway.operations.LeasedCall;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.WalletRpcError;
import dev.escrowstack.gateway.rpc.WalletRpcUnavailable;

/**
 * GATEWAY_FAULT=shared-instance: the call goes, with no lock at all, to the one shared wallet-rpc
 * after an open_wallet of this wallet — the skill's Pattern B, reproduced on purpose.
 */
@ApplicationScoped
@Typed(SharedInstanceRoute.class)
public class SharedInstanceRoute implements CallRoute {

    private final SharedInstance shared;

    public SharedInstanceRoute(SharedInstance shared) {
        this.shared = shared;
    }

    @Override
    public <T> T run(Lease lease, LeasedWallet wallet, String operation, Function<LeasedCall.Target, T> work) {
        WalletProcess process = null;
        try {
            RpcCallContext context = new RpcCallContext(lease.holder(), wallet.role().name(), lease.id(), wallet.walletId(),
                    shared.index());
            process = shared.route(wallet.process(), context, wallet.walletId());
            return work.apply(new LeasedCall.Target(lease, wallet, context, process));
        } catch (WalletRpcError e) {
            throw CallProblems.refused(e, wallet, process);
        } catch (WalletRpcUnavailable e) {
            throw CallProblems.unreachable(e, wallet);
        }
    }
}
