package dev.escrowstack.gateway.operations;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.escrowstack.gateway.lease.LeasedWallet;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.WalletRpcError;
import dev.escrowstack.gateway.rpc.WalletRpcUnavailable;
import dev.escrowstack.problem.ProblemException;

/** How a leased call's failures reach the client: which wallet, which process, and what to do next. */
public final class CallProblems {

    private CallProblems() {
    }

    /** The wallet answered with a JSON-RPC error. {@code process}: where the call ran, when not the wallet's own. */
    public static ProblemException refused(WalletRpcError e, LeasedWallet wallet, WalletProcess process) {
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

    /** No answer from the wallet's own process: it crashed under the call, timed out, or could not be reached. */
    static ProblemException unavailable(WalletRpcUnavailable e, WalletProcess process, LeasedWallet wallet, long generation) {
        String role = wallet.role().name();
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
        return unreachable(e, wallet);
    }

    public static ProblemException unreachable(WalletRpcUnavailable e, LeasedWallet wallet) {
        return new ProblemException(502, "wallet-rpc-unavailable", "Wallet RPC unavailable", e.getMessage())
                .with("rpc_method", e.method()).with("role", wallet.role().name()).with("wallet_id", wallet.walletId());
    }

    static ProblemException restarting(WalletProcess process, LeasedWallet wallet) {
        return new ProblemException(503, "wallet-process-restarting", "Wallet process restarting",
                "the process serving the " + wallet.role() + " wallet (wallet-rpc#" + process.index()
                        + ") is being restarted: " + (process.lastFailure() == null ? "it exited" : process.lastFailure()))
                .with("role", wallet.role().name()).with("wallet_id", wallet.walletId())
                .retryAfter(Duration.ofSeconds(1));
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
}
