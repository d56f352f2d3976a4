package dev.escrowstack.gateway.operations;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.lease.LeaseProblems;
import dev.escrowstack.gateway.lease.LeasedWallet;
import dev.escrowstack.telemetry.Role;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.gateway.process.SharedInstance;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.WalletRpcError;
import dev.escrowstack.gateway.rpc.WalletRpcUnavailable;

/**
 * The guard every call under a lease passes: lease known and active, fencing token right, role in
 * the lease, process healthy; then the process's call lock, then the same checks again (a release
 * or expiry may have won the lock), then the call. Failures become problems that say which wallet,
 * which process and what to do.
 */
@ApplicationScoped
public class LeasedCall {

    /** What a call runs against: the process (normally the wallet's own) and the context its spans carry. */
    public record Target(Lease lease, LeasedWallet wallet, RpcCallContext context, WalletProcess process) {
    }

    private final LeaseManager leases;
    private final SharedInstance shared;
    private final Duration lockWait;

    public LeasedCall(LeaseManager leases, SharedInstance shared, GatewayConfig config) {
        this.leases = leases;
        this.shared = shared;
        this.lockWait = config.rpc().callTimeout();
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
        WalletProcess process = wallet.process();
        if (!process.healthy()) {
            throw restarting(process, wallet);
        }
        if (shared.active()) {
            return runShared(lease, wallet, role, work);
        }
        boolean locked;
        try {
            locked = process.beginCall(operation, lockWait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "interrupted", "Interrupted", "the gateway is shutting down");
        }
        if (!locked) {
            throw new ProblemException(409, "wallet-busy", "Wallet busy",
                    "another call on the " + roleName + " wallet has held it for over " + lockWait.toSeconds() + " s");
        }
        try {
            if (!leases.stillHolds(lease, wallet)) {
                throw LeaseProblems.ended(lease);
            }
            if (!process.healthy()) {
                throw restarting(process, wallet);
            }
            long generation = process.generation();
            RpcCallContext context = new RpcCallContext(lease.holder(), role.name(), lease.id(), wallet.walletId(),
                    process.index());
            try {
                return work.apply(new Target(lease, wallet, context, process));
            } catch (WalletRpcError e) {
                throw refused(e, wallet, process);
            } catch (WalletRpcUnavailable e) {
                throw unavailable(e, process, wallet, roleName, generation);
            }
        } finally {
            process.endCall();
        }
    }

    /**
     * GATEWAY_FAULT=shared-instance: the call goes, with no lock at all, to the one shared wallet-rpc
     * after an open_wallet of this wallet — the skill's Pattern B, reproduced on purpose.
     */
    private <T> T runShared(Lease lease, LeasedWallet wallet, Role role, Function<Target, T> work) {
        WalletProcess process = null;
        try {
            RpcCallContext context = new RpcCallContext(lease.holder(), role.name(), lease.id(), wallet.walletId(), shared.index());
            process = shared.route(wallet.process(), context, wallet.walletId());
            return work.apply(new Target(lease, wallet, context, process));
        } catch (WalletRpcError e) {
            throw refused(e, wallet, process);
        } catch (WalletRpcUnavailable e) {
            throw new ProblemException(502, "wallet-rpc-unavailable", "Wallet RPC unavailable", e.getMessage())
                    .with("rpc_method", e.method()).with("role", role.name()).with("wallet_id", wallet.walletId());
        }
    }

    private static ProblemException refused(WalletRpcError e, LeasedWallet wallet, WalletProcess process) {
        String role = wallet.role().name();
        return new ProblemException(422, "wallet-rpc-error", "Wallet RPC error",
                "the " + role + " wallet refused " + e.method() + ": " + e.walletMessage())
                .with("rpc_method", e.method())
                .with("wallet_rpc_error_code", e.code())
                .with("wallet_rpc_error_message", e.walletMessage())
                .with("role", role)
                .with("wallet_id", wallet.walletId())
                .with("port", process == null ? wallet.process().port() : process.port());
    }

    private static ProblemException unavailable(WalletRpcUnavailable e, WalletProcess process, LeasedWallet wallet,
            String role, long generation) {
        if (crashed(process, generation)) {
            return new ProblemException(502, "wallet-process-crashed", "Wallet process crashed",
                    "monero-wallet-rpc serving the " + role + " wallet (wallet-rpc#" + process.index() + ", port "
                            + process.port() + ") exited during " + e.method()
                            + "; the gateway restarts it and reopens the wallet. The call's effect is unknown: read the"
                            + " wallet's state before repeating a multisig step")
                    .with("rpc_method", e.method()).with("role", role).with("wallet_id", wallet.walletId())
                    .retryAfter(Duration.ofSeconds(2));
        }
        if (e.timedOut()) {
            return new ProblemException(504, "wallet-rpc-timeout", "Wallet RPC timed out", e.getMessage())
                    .with("rpc_method", e.method()).with("role", role).with("wallet_id", wallet.walletId());
        }
        return new ProblemException(502, "wallet-rpc-unavailable", "Wallet RPC unavailable", e.getMessage())
                .with("rpc_method", e.method()).with("role", role).with("wallet_id", wallet.walletId());
    }

    /** A connection reset can reach us a moment before the JVM has reaped the dead child: give it that moment. */
    private static boolean crashed(WalletProcess process, long generation) {
        if (process.generation() != generation) {
            return true;
        }
        for (int i = 0; i < 10 && process.alive(); i++) {
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return !process.alive();
    }

    private static ProblemException restarting(WalletProcess process, LeasedWallet wallet) {
        return new ProblemException(503, "wallet-process-restarting", "Wallet process restarting",
                "the process serving the " + wallet.role() + " wallet (wallet-rpc#" + process.index()
                        + ") is being restarted: " + (process.lastFailure() == null ? "it exited" : process.lastFailure()))
                .with("role", wallet.role().name()).with("wallet_id", wallet.walletId())
                .retryAfter(Duration.ofSeconds(1));
    }
}
