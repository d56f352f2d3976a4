package dev.escrowstack.escrow.it;

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
import java.util.concurrent.TimeUnit;

/** A packaged service run as its own JVM, so a test can kill -9 it and start it again. */
final class ServiceProcess {

    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    final int port;
    private Process jvm;

    ServiceProcess(Path jar, Map<String, String> env, Path log) throws IOException {
        this.jar = jar.toAbsolutePath().normalize();
        this.env = env;
        this.log = log;
        try (ServerSocket s = new ServerSocket(0)) {
            this.port = s.getLocalPort();
        }
    }

    void start() throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        pb.environment().put("OTEL_SDK_DISABLED", "true");
        jvm = pb.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(jar.getFileName() + " exited with " + jvm.exitValue() + "; see " + log);
            }
            try {
                if (get("/q/health").statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("not healthy within 120 s; see " + log);
    }

    void kill9() throws InterruptedException {
        jvm.destroyForcibly();
        jvm.waitFor(30, TimeUnit.SECONDS);
    }

    void stop() throws InterruptedException {
        if (jvm != null && jvm.isAlive()) {
            jvm.destroy();
            if (!jvm.waitFor(60, TimeUnit.SECONDS)) {
                jvm.destroyForcibly();
            }
        }
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).GET());
    }

    HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + bearer).GET());
    }

    HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(b.timeout(Duration.ofMinutes(5)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    static List<Long> walletRpcPidsUnder(Path dir) {
        return dev.escrowstack.escrow.support.RealGateway.walletRpcPidsUnder(dir);
    }
}
