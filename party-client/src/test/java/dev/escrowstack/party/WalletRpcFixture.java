package dev.escrowstack.party;

import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.party.wallet.WalletRpc;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Real monero-wallet-rpc processes for a test (offline, 127.0.0.1, digest login), found on PATH and stopped by pid.
 * Each has a wallet directory of its own under the test's temporary directory.
 */
final class WalletRpcFixture implements AutoCloseable {

    static final String LOGIN = "party:digest-secret";

    private final List<Process> processes = new ArrayList<>();
    private final List<URI> urls = new ArrayList<>();

    WalletRpcFixture(Path dir, int count) throws IOException, InterruptedException {
        for (int i = 0; i < count; i++) {
            int port = freePort();
            Path walletDir = dir.resolve("wallet-rpc-" + i);
            java.nio.file.Files.createDirectories(walletDir);
            processes.add(new ProcessBuilder("monero-wallet-rpc", "--offline", "--wallet-dir", walletDir.toString(),
                    "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", Integer.toString(port), "--rpc-login", LOGIN,
                    "--daemon-ssl", "disabled", "--rpc-ssl", "disabled", // an RSA-4096 key per SSL client otherwise
                    "--non-interactive", "--log-file", walletDir.resolve("wallet-rpc.log").toString())
                    .redirectErrorStream(true).redirectOutput(walletDir.resolve("stdout.log").toFile()).start());
            urls.add(URI.create("http://127.0.0.1:" + port + "/json_rpc"));
        }
        for (int i = 0; i < count; i++) {
            awaitReady(i);
        }
    }

    URI url(int i) {
        return urls.get(i);
    }

    WalletRpc rpc(int i) {
        return new WalletRpc(urls.get(i), LOGIN, Tracer.off());
    }

    /** A fresh wallet, left open in process {@code i} (closing whatever was open there). */
    void createWallet(int i, String name, String password) {
        rpc(i).call("create_wallet", Map.of("filename", name, "password", password, "language", "English"));
    }

    private void awaitReady(int i) throws InterruptedException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            if (!processes.get(i).isAlive()) {
                throw new IllegalStateException("monero-wallet-rpc #" + i + " exited with " + processes.get(i).exitValue());
            }
            try {
                rpc(i).call("get_version", Map.of());
                return;
            } catch (RuntimeException e) {
                last = e;
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("monero-wallet-rpc #" + i + " did not answer", last);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process p : processes) {
            p.destroy();
        }
        for (Process p : processes) {
            try {
                if (!p.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }
}
