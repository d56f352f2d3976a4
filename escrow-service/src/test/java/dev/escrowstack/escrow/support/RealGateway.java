package dev.escrowstack.escrow.support;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real wallet-gateway, from the jar the reactor built before this module, with its own pool of
 * real monero-wallet-rpc processes and its own data directory. Stopped by pid, never by name.
 */
public final class RealGateway {

    public static final String TOKEN = "escrow-test-gateway-token";

    private final Path dataDir;
    private final int poolSize;
    private final int rpcBasePort;
    private int httpPort;
    private Process jvm;

    public RealGateway(Path dataDir, int poolSize, int rpcBasePort) {
        this.dataDir = dataDir.toAbsolutePath();
        this.poolSize = poolSize;
        this.rpcBasePort = rpcBasePort;
    }

    public static Path jar() {
        Path jar = Path.of("../wallet-gateway/target/quarkus-app/quarkus-run.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException("wallet-gateway is not built (" + jar + "): run ./stack test or mvn verify from the root");
        }
        return jar;
    }

    public void start() throws Exception {
        Files.createDirectories(dataDir);
        try (ServerSocket s = new ServerSocket(0)) {
            httpPort = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar().toString())
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolveSibling(dataDir.getFileName() + "-gateway.log").toFile());
        Map<String, String> env = pb.environment();
        env.put("GATEWAY_API_TOKEN", TOKEN);
        env.put("GATEWAY_WALLET_SECRET", "escrow-test-wallet-secret-0123");
        env.put("GATEWAY_DATA_DIR", dataDir.toString());
        env.put("GATEWAY_POOL_SIZE", Integer.toString(poolSize));
        env.put("GATEWAY_POOL_BASE_PORT", Integer.toString(rpcBasePort));
        env.put("GATEWAY_WALLETS_SPARES", Integer.toString(poolSize));
        env.put("QUARKUS_HTTP_PORT", Integer.toString(httpPort));
        env.put("OTEL_SDK_DISABLED", "true");
        jvm = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException("wallet-gateway exited with " + jvm.exitValue());
            }
            try {
                if (get("/q/health").statusCode() == 200 && get("/v1/pool").body().contains("\"spares\":" + poolSize)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("wallet-gateway not ready within 120 s");
    }

    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path))
                .header("Authorization", "Bearer " + TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A call as escrow-service makes it: bearer token, JSON body (or none), a fencing token (or none). */
    public HttpResponse<String> send(String method, String path, String json, Long fencingToken)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (fencingToken != null) {
            request.header("Fencing-Token", fencingToken.toString());
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public boolean running() {
        return jvm != null && jvm.isAlive();
    }

    /** SIGTERM (wallets stored and closed), then SIGKILL of anything left under our data directory. */
    public void stop() {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroy();
            try {
                if (!jvm.waitFor(60, TimeUnit.SECONDS)) {
                    jvm.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                jvm.destroyForcibly();
            }
        }
        for (long pid : walletRpcPidsUnder(dataDir)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    /** Every live monero-wallet-rpc whose command line points into {@code dir}. */
    public static List<Long> walletRpcPidsUnder(Path dir) {
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8);
                if (cmd.contains("monero-wallet-rpc") && cmd.contains(dir.toString())) {
                    pids.add(p.pid());
                }
            } catch (IOException | SecurityException gone) {
                // exited meanwhile
            }
        });
        return pids;
    }
}
