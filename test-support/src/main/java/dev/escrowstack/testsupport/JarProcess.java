package dev.escrowstack.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A packaged Quarkus service ({@code target/quarkus-app/quarkus-run.jar}) run as its own JVM, the way the
 * launcher runs it, so a test can kill -9 it and start it again on the same data. Its HTTP port is chosen
 * once (a free one unless given) and kept across restarts; its output is appended to one log.
 */
public final class JarProcess {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path jar;
    private final Map<String, String> env;
    private final Path log;
    private final int port;
    private Process jvm;

    public JarProcess(Path jar, Map<String, String> env, Path log) throws IOException {
        this(jar, env, log, freePort());
    }

    public JarProcess(Path jar, Map<String, String> env, Path log, int port) {
        this.jar = jar.toAbsolutePath().normalize();
        this.env = new HashMap<>(env);
        this.log = log.toAbsolutePath();
        this.port = port;
    }

    /** Starts the JVM and waits up to two minutes until {@code /q/health} answers 200. */
    public void start() throws Exception {
        start(Duration.ofSeconds(120), p -> true);
    }

    /**
     * Starts the JVM and waits until {@code /q/health} answers 200 and {@code ready} holds (a gateway's spare
     * wallets, say). Fails at once if the JVM exits, naming the log.
     */
    public void start(Duration timeout, Predicate<JarProcess> ready) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("java", "-jar", jar.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        pb.environment().put("QUARKUS_HTTP_PORT", Integer.toString(port));
        jvm = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!jvm.isAlive()) {
                throw new IllegalStateException(jar.getFileName() + " exited with " + jvm.exitValue() + "; see " + log);
            }
            try {
                if (get("/q/health").statusCode() == 200 && ready.test(this)) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException(jar + " not ready within " + timeout.toSeconds() + " s; see " + log);
    }

    /** kill -9: nothing of the service's shutdown runs. */
    public void kill9() throws InterruptedException {
        if (jvm != null) {
            jvm.destroyForcibly();
            jvm.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * SIGTERM, as {@code ./stack down} sends it. Returns the exit value (-1 if it never ran); a service still
     * running 90 s later is killed and the test fails, since a clean stop is part of what is tested.
     */
    public int stop() throws InterruptedException {
        if (jvm == null || !jvm.isAlive()) {
            return jvm == null ? -1 : jvm.exitValue();
        }
        jvm.destroy();
        if (!jvm.waitFor(90, TimeUnit.SECONDS)) {
            jvm.destroyForcibly();
            jvm.waitFor(30, TimeUnit.SECONDS);
            throw new IllegalStateException(jar.getFileName() + " did not stop within 90 s of SIGTERM; see " + log);
        }
        return jvm.exitValue();
    }

    public boolean alive() {
        return jvm != null && jvm.isAlive();
    }

    public long pid() {
        return jvm.pid();
    }

    public int port() {
        return port;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public Path log() {
        return log;
    }

    /** GET with header name/value pairs. */
    public HttpResponse<String> get(String path, String... headers) throws IOException, InterruptedException {
        return send("GET", path, null, headers);
    }

    /** A JSON body (or none, when {@code json} is null) with header name/value pairs. */
    public HttpResponse<String> send(String method, String path, String json, String... headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofMinutes(5))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** A free loopback port, for a service that must not take the usual one. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
