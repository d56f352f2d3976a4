package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.TracedWalletRpc;
import dev.escrowstack.gateway.wallet.ProcessWallets;
import dev.escrowstack.gateway.wallet.WalletPasswords;
import dev.escrowstack.gateway.wallet.WalletStore;
import dev.escrowstack.problem.ProblemException;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

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
    private final WalletProcess process;
    private final ProcessLauncher launcher;
    private final ProcessWallets wallets;
    private final WalletStore store;
    private final TracedWalletRpc rpc;
    private final WalletPasswords passwords;
    private final GatewayConfig config;
    /** Wallets whose files the shared instance can open (closed in their own process, linked into its directory). */
    private final Set<String> linked = ConcurrentHashMap.newKeySet();
    private volatile String lastOpened;

    public SharedInstance(GatewayConfig config, ProcessLauncher launcher, ProcessWallets wallets, WalletStore store, TracedWalletRpc rpc,
            WalletPasswords passwords) {
        this.active = config.fault().filter(f -> f == GatewayConfig.Fault.SHARED_INSTANCE).isPresent();
        this.config = config;
        this.launcher = launcher;
        this.wallets = wallets;
        this.store = store;
        this.rpc = rpc;
        this.passwords = passwords;
        Path data = config.dataDir().toAbsolutePath().normalize();
        this.process = new WalletProcess(config.pool().size(), data.resolve("rpc").resolve("shared-instance"));
    }

    public boolean active() {
        return active;
    }

    /** Its process index in spans (wallet.process): one past the pool's. */
    public int index() {
        return process.index();
    }

    /** First of the start observers, so nothing (no wallet-rpc process) is started before the refusal. */
    void refuseInProd(@Observes @jakarta.annotation.Priority(1) StartupEvent event) {
        List<String> profiles = ConfigUtils.getProfiles();
        if (config.fault().isPresent() && !profiles.contains("dev") && !profiles.contains("test")) {
            throw new IllegalStateException("GATEWAY_FAULT=shared-instance is refused in profile " + profiles
                    + ": fault injection exists only in the dev and test profiles (QUARKUS_PROFILE=dev)");
        }
    }

    /** After the pool: the pool's start stops every wallet-rpc on our data directory it did not start. */
    void start() throws IOException, InterruptedException {
        if (!active) {
            return;
        }
        Files.createDirectories(process.home());
        launcher.start(process);
        process.health(ProcessHealth.HEALTHY);
        Log.warnf("FAULT INJECTION ON: shared-instance — every leased wallet call goes to %s (port %d) via open_wallet, unlocked",
                process, process.port());
    }

    void stop(@Observes ShutdownEvent event) {
        Process child = process.process();
        if (child != null && child.isAlive()) {
            PidRegistry.stop(child.toHandle(), config.pool().stopTimeout());
        }
    }

    /**
     * The process a leased call goes to: the shared instance, with {@code walletId} opened in it just
     * before (unless it was the last one opened). The wallet is first closed in its own pool process and
     * its files linked here, so the two processes never hold it at once.
     */
    public WalletProcess route(WalletProcess own, RpcCallContext context, String walletId) {
        if (!process.alive()) {
            throw new ProblemException(503, "wallet-process-restarting", "Shared instance not running",
                    "GATEWAY_FAULT=shared-instance: the shared wallet-rpc is not running (yet)").retryAfter(java.time.Duration.ofSeconds(2));
        }
        if (linked.add(walletId)) {
            wallets.close(own, context);
            try {
                for (String name : List.of(walletId, walletId + ".keys")) {
                    Path target = store.closedFile(name);
                    Path link = process.walletDir().resolve(name);
                    Files.deleteIfExists(link);
                    Files.createSymbolicLink(link, target);
                }
            } catch (IOException e) {
                linked.remove(walletId);
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (!walletId.equals(lastOpened)) {
            lastOpened = walletId;
            rpc.call(process.endpoint(), context, "open_wallet", Map.of("filename", walletId, "password", passwords.passwordFor(walletId)));
        }
        return process;
    }
}
