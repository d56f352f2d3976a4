package dev.escrowstack.testsupport;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The real wallet-gateway from its packaged jar, with its own pool of real monero-wallet-rpc processes and its
 * own data directory, as escrow-service's tests and the gateway's own restart test run it. Ready means healthy
 * with every spare wallet created, so a test's first lease never pays for a wallet's creation. Stopped by
 * pid, never by name.
 */
public final class GatewayJar {

    private final Path jar;
    private final Path dataDir;
    private final Map<String, String> env;
    private final int spares;
    private final String token;
    private final JarProcess jvm;

    /**
     * @param jar         wallet-gateway's {@code target/quarkus-app/quarkus-run.jar}
     * @param dataDir     the gateway's data directory (wallets, pids); the log goes beside it
     * @param poolSize    wallet-rpc processes
     * @param spares      spare wallets it keeps ready
     * @param rpcBasePort the first wallet-rpc port
     * @param token       the API token callers present
     */
    public GatewayJar(Path jar, Path dataDir, int poolSize, int spares, int rpcBasePort, String token) throws IOException {
        this(jar, dataDir, spares, token, Map.of(
                "GATEWAY_API_TOKEN", token,
                "GATEWAY_WALLET_SECRET", "test-wallet-secret-0123456789",
                "GATEWAY_DATA_DIR", dataDir.toAbsolutePath().normalize().toString(),
                "GATEWAY_POOL_SIZE", Integer.toString(poolSize),
                "GATEWAY_POOL_BASE_PORT", Integer.toString(rpcBasePort),
                "GATEWAY_WALLETS_SPARES", Integer.toString(spares),
                "OTEL_SDK_DISABLED", "true"));
    }

    private GatewayJar(Path jar, Path dataDir, int spares, String token, Map<String, String> env) throws IOException {
        if (!Files.exists(jar)) {
            throw new IllegalStateException("wallet-gateway is not built (" + jar + "): run ./stack test or mvn verify from the root");
        }
        this.jar = jar;
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.spares = spares;
        this.token = token;
        this.env = env;
        Files.createDirectories(this.dataDir);
        this.jvm = new JarProcess(jar, env, this.dataDir.resolveSibling(this.dataDir.getFileName() + "-gateway.log"));
    }

    /** The same gateway (jar, data, pool) with {@code changes} to its environment, e.g. another wallet secret. */
    public GatewayJar with(Map<String, String> changes) throws IOException {
        Map<String, String> changed = new java.util.HashMap<>(env);
        changed.putAll(changes);
        return new GatewayJar(jar, dataDir, spares, token, changed);
    }

    /** Starts the JVM (again, on the same data) and waits until it is healthy with all its spare wallets. */
    public void start() throws Exception {
        jvm.start(Duration.ofSeconds(120), p -> {
            try {
                return get("/v1/pool").body().contains("\"spares\":" + spares);
            } catch (IOException | InterruptedException notYet) {
                return false;
            }
        });
    }

    /** kill -9 of the gateway JVM: its wallet-rpc processes are left behind, as after a crash. */
    public void kill9() throws InterruptedException {
        jvm.kill9();
    }

    /** SIGTERM (wallets stored and closed, processes stopped); returns the JVM's exit value. */
    public int stop() throws InterruptedException {
        return jvm.stop();
    }

    /** Test cleanup: SIGTERM, then SIGKILL by pid of anything left under the data directory. */
    public void stopAll() {
        try {
            jvm.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            WalletRpcProcesses.killUnder(dataDir);
        }
    }

    public boolean running() {
        return jvm.alive();
    }

    public long pid() {
        return jvm.pid();
    }

    public String url() {
        return jvm.url();
    }

    public Path dataDir() {
        return dataDir;
    }

    public String token() {
        return token;
    }

    /** A GET as a caller makes it: bearer token. */
    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return jvm.get(path, "Authorization", "Bearer " + token);
    }

    /** A call as escrow-service makes it: bearer token, JSON body (or none), a fencing token (or none). */
    public HttpResponse<String> send(String method, String path, String json, Long fencingToken)
            throws IOException, InterruptedException {
        return fencingToken == null ? jvm.send(method, path, json, "Authorization", "Bearer " + token)
                : jvm.send(method, path, json, "Authorization", "Bearer " + token, "Fencing-Token", fencingToken.toString());
    }
}
