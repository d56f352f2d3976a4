package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.TracedWalletRpc;
import io.quarkus.logging.Log;

/**
 * Owns the monero-wallet-rpc processes: reaps what a previous run left, starts the pool, restarts
 * crashed or hung processes with backoff (reopening the wallet they had open), and stops them in
 * escalating steps. It decides nothing about who uses a process; that is the lease manager's job.
 */
@ApplicationScoped
public class ProcessPool {

    private final GatewayConfig config;
    private final ProcessLauncher launcher;
    private final WalletHome home;
    private final TracedWalletRpc rpc;
    private final Event<ProcessRestarted> restarted;
    private final PidRegistry pids;
    private final List<WalletProcess> processes = new ArrayList<>();
    private final ScheduledExecutorService restarter = Executors.newScheduledThreadPool(1,
            r -> daemon(r, "wallet-rpc-restarter"));
    private volatile boolean started;
    private volatile boolean shuttingDown;
    private volatile String startFailure;

    public ProcessPool(GatewayConfig config, ProcessLauncher launcher, WalletHome home, TracedWalletRpc rpc,
            Event<ProcessRestarted> restarted) {
        this.config = config;
        this.launcher = launcher;
        this.home = home;
        this.rpc = rpc;
        this.restarted = restarted;
        Path data = config.dataDir().toAbsolutePath().normalize();
        this.pids = new PidRegistry(data);
        for (int i = 0; i < config.pool().size(); i++) {
            processes.add(new WalletProcess(i, data.resolve("rpc").resolve(Integer.toString(i))));
        }
    }

    public List<WalletProcess> processes() {
        return processes;
    }

    public boolean started() {
        return started;
    }

    public Optional<String> startFailure() {
        return Optional.ofNullable(startFailure);
    }

    public long healthyCount() {
        return processes.stream().filter(WalletProcess::healthy).count();
    }

    /** Reaps orphans, brings stray wallet files home, then starts every process (in parallel). */
    public void start() throws IOException {
        Path data = config.dataDir().toAbsolutePath().normalize();
        PrivateDirectory.create(data);
        PrivateDirectory.create(data.resolve("rpc"));
        List<Long> reaped = pids.reapOrphans(config.pool().stopTimeout());
        if (!reaped.isEmpty()) {
            Log.warnf("stopped %d orphaned wallet-rpc processes: %s", reaped.size(), reaped);
        }
        home.bringHome(processes.stream().map(WalletProcess::walletDir).toList());
        ExecutorService starters = Executors.newFixedThreadPool(Math.min(processes.size(), 4), r -> daemon(r, "wallet-rpc-start"));
        try {
            List<CompletableFuture<Void>> starts = processes.stream()
                    .map(p -> CompletableFuture.runAsync(() -> startOnce(p), starters)).toList();
            CompletableFuture.allOf(starts.toArray(CompletableFuture[]::new)).join();
        } finally {
            starters.shutdown();
        }
        started = true;
        Log.infof("wallet-rpc pool: %d of %d processes healthy", healthyCount(), processes.size());
    }

    private void startOnce(WalletProcess process) {
        try {
            PrivateDirectory.create(process.home());
            launcher.start(process);
            pids.record(process.index(), process.pid());
            watch(process, process.process());
            process.health(ProcessHealth.HEALTHY);
        } catch (Exception e) {
            startFailure = e.getMessage();
            process.lastFailure(e.getMessage());
            Log.errorf("wallet-rpc#%d failed to start: %s", process.index(), e.getMessage());
            process.health(ProcessHealth.RESTARTING);
            scheduleRestart(process, "failed to start: " + e.getMessage(), -1, -1, System.currentTimeMillis(), 1);
        }
    }

    private void watch(WalletProcess process, Process child) {
        child.onExit().thenRun(() -> exited(process, child));
    }

    private void exited(WalletProcess process, Process child) {
        if (process.stopping() || shuttingDown || child != process.process()) {
            return;
        }
        String cause = process.lastFailure() != null && process.health() == ProcessHealth.RESTARTING
                ? process.lastFailure()
                : "exited with status " + child.exitValue() + describeSignal(child.exitValue());
        Log.warnf("%s %s; restarting", process, cause);
        process.health(ProcessHealth.RESTARTING);
        process.lastFailure(cause);
        scheduleRestart(process, cause, child.pid(), process.port(), System.currentTimeMillis(), 1);
    }

    /** Kills a process that stopped answering; its exit triggers the normal restart. */
    void killHung(WalletProcess process, String reason) {
        Log.warnf("%s %s; killing it", process, reason);
        process.lastFailure(reason);
        process.health(ProcessHealth.RESTARTING);
        Process child = process.process();
        if (child != null) {
            child.destroyForcibly();
        }
    }

    private void scheduleRestart(WalletProcess process, String cause, long oldPid, int oldPort, long downSince, int attempt) {
        long min = config.pool().restartBackoffMin().toMillis();
        long delay = Math.min(config.pool().restartBackoffMax().toMillis(), min << Math.min(attempt - 1, 16));
        restarter.schedule(() -> restart(process, cause, oldPid, oldPort, downSince, attempt), attempt == 1 ? 0 : delay,
                TimeUnit.MILLISECONDS);
    }

    private void restart(WalletProcess process, String cause, long oldPid, int oldPort, long downSince, int attempt) {
        if (shuttingDown) {
            return;
        }
        // No lease call may reach the new process before its wallet is open again.
        process.callLock().lock();
        Optional<String> reopenError = Optional.empty();
        List<String> notes = new ArrayList<>();
        try {
            launcher.start(process);
            pids.record(process.index(), process.pid());
            watch(process, process.process());
            Optional<OpenWallet> wallet = process.openWallet();
            if (wallet.isPresent()) {
                reopenError = reopen(process, wallet.get(), notes);
            }
            process.restarted();
            process.health(ProcessHealth.HEALTHY);
        } catch (Exception e) {
            Log.errorf("restart %d of wallet-rpc#%d failed: %s", attempt, process.index(), e.getMessage());
            process.lastFailure(cause + "; restart failed: " + e.getMessage());
            scheduleRestart(process, cause, oldPid, oldPort, downSince, attempt + 1);
            return;
        } finally {
            process.callLock().unlock();
        }
        restarted.fire(new ProcessRestarted(process, cause, oldPid, oldPort, process.openWallet(), reopenError,
                notes.stream().findFirst(), System.currentTimeMillis() - downSince));
    }

    private Optional<String> reopen(WalletProcess process, OpenWallet wallet, List<String> notes) {
        try {
            home.reopen(process, RpcCallContext.maintenance(process.index(), wallet.walletId()), wallet.walletId())
                    .ifPresent(notes::add);
            return Optional.empty();
        } catch (RuntimeException e) {
            Log.errorf("%s: could not reopen wallet %s after restart: %s", process, wallet.walletId(), e.getMessage());
            return Optional.of(e.getMessage());
        }
    }

    /**
     * Escalating stop of every process: close (and so store) its wallet and bring the files home,
     * SIGTERM, then SIGKILL after the stop timeout.
     */
    public void stop() {
        shuttingDown = true;
        restarter.shutdownNow();
        List<CompletableFuture<Void>> stops = processes.stream()
                .map(p -> CompletableFuture.runAsync(() -> stopOne(p))).toList();
        CompletableFuture.allOf(stops.toArray(CompletableFuture[]::new)).join();
    }

    private void stopOne(WalletProcess process) {
        process.stopping(true);
        boolean locked = false;
        try {
            locked = process.callLock().tryLock(config.pool().stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            Optional<OpenWallet> wallet = process.openWallet();
            if (wallet.isPresent() && process.alive()) {
                try {
                    rpc.call(process.endpoint(), RpcCallContext.maintenance(process.index(), wallet.get().walletId()),
                            "close_wallet", Map.of("autosave_current", true));
                } catch (RuntimeException e) {
                    Log.warnf("%s: close_wallet on stop failed: %s", process, e.getMessage());
                }
            }
            Process child = process.process();
            if (child != null && child.isAlive()) {
                PidRegistry.stop(child.toHandle(), config.pool().stopTimeout());
            }
            if (wallet.isPresent()) {
                home.checkIn(wallet.get(), process.walletDir());
                process.openWallet(null);
            }
            pids.forget(process.index());
        } catch (Exception e) {
            Log.errorf("%s: stop failed: %s", process, e.getMessage());
        } finally {
            process.health(ProcessHealth.STOPPED);
            if (locked) {
                process.callLock().unlock();
            }
        }
    }

    private static String describeSignal(int status) {
        return status > 128 ? " (signal " + (status - 128) + ")" : "";
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    public Path dataDir() {
        return config.dataDir().toAbsolutePath().normalize();
    }

    boolean shuttingDown() {
        return shuttingDown;
    }
}
