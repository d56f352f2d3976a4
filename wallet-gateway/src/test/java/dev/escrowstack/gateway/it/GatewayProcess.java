package dev.escrowstack.gateway.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The packaged gateway (target/quarkus-app) run as its own JVM, the way the launcher runs it, so a
 * test can kill -9 it and start it again on the same data directory.
 */
final class GatewayProcess {

    static final String TOKEN = "it-token";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    final Path dataDir;
    final int httpPort;
    final int rpcBasePort;
    final int poolSize;
    private Process jvm;
    private int starts;

    GatewayProcess(Path dataDir, int rpcBasePort, int poolSize) throws IOException {
        this.dataDir = dataDir;
        this.rpcBasePort = rpcBasePort;
        this.poolSize = poolSize;
        try (ServerSocket s = new ServerSocket(0)) {
            this.httpPort = s.getLocalPort();
        }
    }

    void start() throws Exception {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target", "it-gateway-" + httpPort + "-" + (++starts) + ".log").toFile());
        Map<String, String> env = pb.environment();
        env.put("GATEWAY_API_TOKEN", TOKEN);
        env.put("GATEWAY_WALLET_SECRET", "it-wallet-secret-0123456789");
        env.put("GATEWAY_DATA_DIR", dataDir.toString());
        env.put("GATEWAY_POOL_SIZE", Integer.toString(poolSize));
        env.put("GATEWAY_POOL_BASE_PORT", Integer.toString(rpcBasePort));
        env.put("GATEWAY_WALLETS_SPARES", "1");
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("OTEL_SDK_DISABLED", "true");
        jvm = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("gateway exited with " + jvm.exitValue());
            }
            try {
                if (get("/q/health").statusCode() == 200 && get("/v1/pool").body().contains("\"spares\":1")) {
                    return;
                }
            } catch (IOException notYet) {
                // HTTP server not up yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("gateway not healthy within 90 s");
    }

    long pid() {
        return jvm.pid();
    }

    /** kill -9 of the gateway JVM: nothing of its shutdown runs. */
    void kill() throws InterruptedException {
        jvm.destroyForcibly();
        jvm.waitFor(30, TimeUnit.SECONDS);
    }

    /** SIGTERM, as ./stack down sends it. */
    int stop() throws InterruptedException {
        jvm.destroy();
        if (!jvm.waitFor(90, TimeUnit.SECONDS)) {
            jvm.destroyForcibly();
            throw new IllegalStateException("gateway did not stop within 90 s of SIGTERM");
        }
        return jvm.exitValue();
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> post(String path, String json, Long fencingToken) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        if (fencingToken != null) {
            b.header("Fencing-Token", fencingToken.toString());
        }
        return send(b);
    }

    HttpResponse<String> delete(String path, long fencingToken) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Fencing-Token", Long.toString(fencingToken)).DELETE());
    }

    HttpResponse<String> getWithToken(String path, long fencingToken) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Fencing-Token", Long.toString(fencingToken)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HTTP.send(b.header("Authorization", "Bearer " + TOKEN).timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    /** Every live monero-wallet-rpc whose command line points into {@code dir}: what an orphan check looks for. */
    static List<Long> walletRpcPidsUnder(Path dir) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                if (cmd.contains("monero-wallet-rpc") && cmd.contains(dir.toString())) {
                    pids.add(p.pid());
                }
            } catch (IOException | SecurityException gone) {
                // exited while we looked
            }
        });
        return pids;
    }

    /** Test cleanup: stop by pid whatever is left, never by name. */
    void killEverything() {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroyForcibly();
        }
        for (long pid : walletRpcPidsUnder(dataDir)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
