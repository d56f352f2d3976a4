package dev.escrowstack.gateway.fault;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.PoolStarted;
import dev.escrowstack.gateway.process.ProcessLauncher;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.TracedWalletRpc;
import dev.escrowstack.gateway.wallet.ProcessWallets;
import dev.escrowstack.gateway.wallet.WalletPasswords;
import dev.escrowstack.gateway.wallet.WalletStore;
import dev.escrowstack.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;

/**
 * GATEWAY_FAULT=shared-instance (dev and test only): the skill's Pattern B on purpose. One extra
 * monero-wallet-rpc, outside the pool, serves every leased call: before each call the wallet it is meant
 * for is opened with open_wallet, and nothing holds the instance from that open to the call — so with
 * several escrows at once, a call runs against whichever wallet another escrow opened last. Leases,
 * fencing and the pool are unchanged; only where the calls go is.
 */
@ApplicationScoped
public class SharedInstance {

    private final boolean active;
    private final int index;
    private final Path home;
    private final ProcessLauncher launcher;
    private final ProcessWallets wallets;
    private final WalletStore store;
    private final TracedWalletRpc rpc;
    private final WalletPasswords passwords;
    /** Wallets whose files the shared instance can open (closed in their own process, linked into its directory). */
    private final Set<String> linked = ConcurrentHashMap.newKeySet();
    private volatile WalletProcess process;
    private volatile String lastOpened;

    public SharedInstance(GatewayConfig config, ProcessLauncher launcher, ProcessWallets wallets, WalletStore store,
            TracedWalletRpc rpc, WalletPasswords passwords) {
        this.active = config.fault().filter(f -> f == GatewayConfig.Fault.SHARED_INSTANCE).isPresent();
        this.index = config.pool().size();
        this.home = config.dataDir().toAbsolutePath().normalize().resolve("rpc").resolve("shared-instance");
        this.launcher = launcher;
        this.wallets = wallets;
        this.store = store;
        this.rpc = rpc;
        this.passwords = passwords;
    }

    /** Its process index in spans (wallet.process): one past the pool's. */
    int index() {
        return index;
    }

    /** After the pool: the pool's start stops every wallet-rpc on our data directory it did not start. */
    void start(@Observes PoolStarted event) {
        if (!active) {
            return;
        }
        try {
            process = launcher.startStandalone(index, home);
        } catch (IOException e) {
            throw new UncheckedIOException("the shared instance did not start", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the shared instance", e);
        }
        Log.warnf("FAULT INJECTION ON: shared-instance — every leased wallet call goes to %s (port %d) via open_wallet, unlocked",
                process, process.port());
    }

    void stop(@Observes ShutdownEvent event) {
        WalletProcess running = process;
        if (running != null) {
            launcher.stopStandalone(running);
        }
    }

    /**
     * The process a leased call goes to: the shared instance, with {@code walletId} opened in it just
     * before (unless it was the last one opened). The wallet is first closed in its own pool process and
     * its files linked here, so the two processes never hold it at once.
     */
    WalletProcess route(WalletProcess own, RpcCallContext context, String walletId) {
        WalletProcess shared = process;
        if (shared == null || !shared.alive()) {
            throw new ProblemException(503, "wallet-process-restarting", "Shared instance not running",
                    "GATEWAY_FAULT=shared-instance: the shared wallet-rpc is not running (yet)").retryAfter(Duration.ofSeconds(2));
        }
        if (linked.add(walletId)) {
            wallets.close(own, context);
            try {
                for (String name : List.of(walletId, walletId + ".keys")) {
                    Path target = store.closedFile(name);
                    Path link = shared.walletDir().resolve(name);
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, target);
                }
            } catch (IOException e) {
                linked.remove(walletId);
                throw new UncheckedIOException(e);
            }
        }
        if (!walletId.equals(lastOpened)) {
            lastOpened = walletId;
            rpc.call(shared.endpoint(), context, "open_wallet", Map.of("filename", walletId, "password", passwords.passwordFor(walletId)));
        }
        return shared;
    }
}
