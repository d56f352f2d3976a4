package dev.escrowstack.gateway.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real monerod on a private regtest chain ({@code --regtest --offline --fixed-difficulty 1}), bound to
 * 127.0.0.1 on free ports, for the funds path; blocks come from {@code generateblocks}. Stopped by pid.
 */
public class RegtestDaemon implements QuarkusTestResourceLifecycleManager {

    private static volatile URI rpc;
    private Process process;

    @Override
    public Map<String, String> start() {
        try {
            Path dir = Files.createDirectories(Path.of("target/regtest-" + System.nanoTime()).toAbsolutePath());
            int rpcPort = freePort();
            process = new ProcessBuilder(List.of("monerod", "--regtest", "--offline", "--fixed-difficulty", "1",
                    "--data-dir", dir.resolve("data").toString(), "--log-file", dir.resolve("monerod.log").toString(),
                    "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port", Integer.toString(rpcPort),
                    "--p2p-bind-ip", "127.0.0.1", "--p2p-bind-port", Integer.toString(freePort()),
                    "--no-zmq", "--no-igd", "--hide-my-port", "--non-interactive"))
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
            rpc = URI.create("http://127.0.0.1:" + rpcPort + "/json_rpc");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                try {
                    call("get_info", Map.of());
                    break;
                } catch (IOException e) {
                    if (System.nanoTime() > deadline || !process.isAlive()) {
                        throw new IllegalStateException("monerod did not start; see " + dir.resolve("stdout.log"), e);
                    }
                    Thread.sleep(300);
                }
            }
            // Regtest wallets use the mainnet network type.
            return Map.of("gateway.pool.daemon-address", "127.0.0.1:" + rpcPort, "gateway.pool.network", "mainnet");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void stop() {
        if (process != null) {
            process.destroy();
            try {
                if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Mines {@code blocks} blocks paying {@code address}. */
    public static void generateBlocks(int blocks, String address) throws IOException, InterruptedException {
        call("generateblocks", Map.of("amount_of_blocks", blocks, "wallet_address", address, "starting_nonce", 0));
    }

    public static long height() throws IOException, InterruptedException {
        return call("get_info", Map.of()).path("height").asLong();
    }

    private static JsonNode call(String method, Map<String, ?> params) throws IOException, InterruptedException {
        ObjectMapper json = new ObjectMapper();
        byte[] body = json.writeValueAsBytes(Map.of("jsonrpc", "2.0", "id", "0", "method", method, "params", params));
        HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(rpc).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/json").build(),
                HttpResponse.BodyHandlers.ofByteArray());
        JsonNode reply = json.readTree(r.body());
        if (reply.hasNonNull("error")) {
            throw new IOException("monerod " + method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
