package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.rpc.RpcEndpoint;
import dev.escrowstack.gateway.rpc.WalletRpcClient;
import io.quarkus.logging.Log;

/**
 * Starts one monero-wallet-rpc with a fresh random login and waits, within a deadline, until it
 * answers get_version. Runs it under {@code umask 077} so every wallet file it writes is 0600.
 */
@ApplicationScoped
public class ProcessLauncher {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PORT_ATTEMPTS = 5;

    private final GatewayConfig config;
    private final PortAllocator ports;
    private final WalletRpcClient rpc;

    public ProcessLauncher(GatewayConfig config, PortAllocator ports, WalletRpcClient rpc) {
        this.config = config;
        this.ports = ports;
        this.rpc = rpc;
    }

    /**
     * A process outside the pool (fault injection's shared instance): started in {@code home} like a pool
     * process, but nobody supervises it. Stop it with {@link #stopStandalone}.
     */
    public WalletProcess startStandalone(int index, Path home) throws IOException, InterruptedException {
        WalletProcess process = new WalletProcess(index, home);
        PrivateDirectory.create(home);
        start(process);
        process.health(ProcessHealth.HEALTHY);
        return process;
    }

    public void stopStandalone(WalletProcess process) {
        Process child = process.process();
        if (child != null && child.isAlive()) {
            PidRegistry.stop(child.toHandle(), config.pool().stopTimeout());
        }
    }

    /** Starts {@code process}, keeping its previous port when it is still free. */
    void start(WalletProcess process) throws IOException, InterruptedException {
        PrivateDirectory.create(process.walletDir());
        int preferred = process.port();
        if (preferred > 0) {
            ports.release(preferred); // a restart may take its old port back
        }
        String failure = null;
        for (int attempt = 0; attempt < PORT_ATTEMPTS; attempt++) {
            int port = ports.reserve(preferred);
            preferred = -1;
            RpcEndpoint endpoint = new RpcEndpoint(port, "gw" + hex(4), hex(24));
            writeLogin(process.configFile(), endpoint);
            Path log = process.home().resolve("stdout.log");
            if (!Files.exists(log)) { // owner only, like the wallets: it names wallets and addresses
                Files.createFile(log, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Process child = new ProcessBuilder(command(process, port))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            process.started(child, endpoint);
            failure = awaitReady(process, child, endpoint);
            // The login only needs to exist while the process reads its configuration.
            Files.deleteIfExists(process.configFile());
            if (failure == null) {
                Log.infof("%s ready", process);
                return;
            }
            child.destroyForcibly();
            child.onExit().join();
            ports.release(port);
            if (bindFailure(process)) {
                ports.skip(port);
                Log.warnf("port %d taken by another program; wallet-rpc#%d tries the next one", port, process.index());
                continue;
            }
            break;
        }
        throw new IOException("wallet-rpc#" + process.index() + " did not start: " + failure);
    }

    private List<String> command(WalletProcess process, int port) {
        GatewayConfig.Pool pool = config.pool();
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "umask 077; exec \"$0\" \"$@\"", pool.binary(),
                "--rpc-bind-port", Integer.toString(port),
                "--rpc-bind-ip", "127.0.0.1",
                "--config-file", process.configFile().toString(),
                "--wallet-dir", process.walletDir().toString(),
                "--daemon-ssl", "disabled",
                "--rpc-ssl", "disabled",
                "--non-interactive",
                "--log-file", process.logFile().toString(),
                "--log-level", Integer.toString(pool.logLevel())));
        if (pool.daemonAddress().isPresent()) {
            cmd.addAll(List.of("--daemon-address", pool.daemonAddress().get(), "--trusted-daemon"));
        } else {
            cmd.add("--offline");
        }
        pool.network().flag().ifPresent(cmd::add);
        return cmd;
    }

    /** Polls get_version until the deadline; returns null when ready, else why not. */
    private String awaitReady(WalletProcess process, Process child, RpcEndpoint endpoint) throws InterruptedException {
        long deadline = System.nanoTime() + config.pool().startTimeout().toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!child.isAlive()) {
                return "exited with status " + child.exitValue() + " (see " + process.home().resolve("stdout.log") + ")";
            }
            try {
                rpc.call(endpoint, "get_version", Map.of(), config.rpc().probeTimeout());
                return null;
            } catch (RuntimeException e) {
                last = e.getMessage();
            }
            Thread.sleep(100);
        }
        return "no get_version answer within " + config.pool().startTimeout().toSeconds() + " s: " + last;
    }

    private static boolean bindFailure(WalletProcess process) {
        try {
            Path out = process.home().resolve("stdout.log");
            String text = Files.exists(out) ? Files.readString(out) : "";
            String tail = text.substring(Math.max(0, text.length() - 2000));
            return tail.contains("Failed to bind") || tail.contains("Address already in use") || tail.contains("bind");
        } catch (IOException e) {
            return false;
        }
    }

    private static void writeLogin(Path file, RpcEndpoint endpoint) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, "rpc-login=" + endpoint.login() + "\n");
    }

    private static String hex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
