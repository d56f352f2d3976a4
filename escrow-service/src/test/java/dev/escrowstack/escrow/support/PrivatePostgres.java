package dev.escrowstack.escrow.support;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.ProcessBuilder.Redirect;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.postgresql.ds.PGSimpleDataSource;

import dev.escrowstack.testsupport.TempDirs;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A PostgreSQL of the test's own, which it may crash and start again: a fresh cluster in a temporary
 * directory, on a free port, listening on 127.0.0.1 only, with one database and one role (a random
 * password; the superuser only over the Unix socket in that directory, which is 0700). Debian's server
 * binaries ({@code /usr/lib/postgresql/<version>/bin}). PostgreSQL refuses to run as root, so when the
 * tests do, it runs as the postgres user. Signalled by the postmaster's pid, never by name: the machine
 * may run other clusters.
 */
public final class PrivatePostgres {

    public static final String DATABASE = "escrow_restart";
    public static final String USER = "escrow_restart";

    private static final boolean ROOT = effectiveUid() == 0;

    private final Path bin;
    private final Path log = Path.of("target/private-postgres.log").toAbsolutePath();
    private Path dir;
    private int port;
    private String password;

    /** The process launch() started last: the server, or runuser around it when root. */
    private Process wrapper;

    public PrivatePostgres() {
        this.bin = installed().orElseThrow(() -> new IllegalStateException("no /usr/lib/postgresql/*/bin/postgres"));
    }

    /** The newest installed server's bin directory, if any. */
    public static Optional<Path> installed() {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString().replaceAll("\\D", "0"))));
        } catch (IOException none) {
            return Optional.empty();
        }
    }

    /** For {@code @EnabledIf}: a bare machine skips the tests that need one. */
    public static boolean isInstalled() {
        return installed().isPresent();
    }

    public void start() throws IOException, InterruptedException {
        dir = Files.createTempDirectory("escrow-pg-");
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        byte[] secret = new byte[16];
        new SecureRandom().nextBytes(secret);
        password = HexFormat.of().formatHex(secret);
        Files.deleteIfExists(log);
        if (ROOT) {
            run("chown", List.of("chown", "postgres:postgres", dir.toString()), null);
        }
        // --no-sync: only initdb's own files skip fsync; the server below runs with its defaults, fsync on.
        run("initdb", asOwner(bin.resolve("initdb").toString(), "-D", data().toString(), "-U", "postgres", "--auth-local=trust",
                "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync", "--no-instructions"), null);
        launch();
        // The password on stdin, not the command line, which every local user can read.
        run("psql", List.of(bin.resolve("psql").toString(), "-q", "-v", "ON_ERROR_STOP=1", "-h", dir.toString(), "-p",
                Integer.toString(port), "-U", "postgres", "-d", "postgres"),
                "CREATE ROLE " + USER + " LOGIN PASSWORD '" + password + "';\nCREATE DATABASE " + DATABASE + " OWNER " + USER + ";\n");
    }

    /** What the datasource needs. */
    public Map<String, String> config() {
        return Map.of("quarkus.datasource.jdbc.url", jdbcUrl(), "quarkus.datasource.username", USER, "quarkus.datasource.password",
                password);
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
    }

    /** A connection of the test's own, outside the service's pool, to look at what is really stored. */
    public Connection connect() throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(jdbcUrl());
        ds.setUser(USER);
        ds.setPassword(password);
        return ds.getConnection();
    }

    /**
     * SIGQUIT to the postmaster: an immediate shutdown, as in a crash (no checkpoint; the next start runs
     * crash recovery). Returns once the postmaster is gone.
     */
    public void crash() throws IOException, InterruptedException {
        long pid = postmasterPid();
        signal("QUIT", pid);
        if (!waitUntilGone(pid, 30)) {
            throw new IllegalStateException("postmaster " + pid + " still runs 30 s after SIGQUIT");
        }
    }

    /**
     * SIGSTOP to the postmaster and every backend: a database that hangs (a stalled disk, a frozen VM) instead
     * of refusing. Connections open, then nothing answers. {@link #thaw()} ends it.
     */
    public void freeze() throws IOException, InterruptedException {
        for (long pid : serverPids()) {
            signal("STOP", pid);
        }
    }

    public void thaw() throws IOException, InterruptedException {
        // runuser, like su, stops itself when its child stops: it must go on too, or it never reaps the server.
        if (wrapper != null && wrapper.isAlive()) {
            signal("CONT", wrapper.pid());
        }
        for (long pid : serverPids()) {
            signal("CONT", pid);
        }
    }

    private List<Long> serverPids() throws IOException {
        long postmaster = postmasterPid();
        List<Long> pids = new ArrayList<>(List.of(postmaster));
        ProcessHandle.of(postmaster).ifPresent(p -> p.descendants().forEach(d -> pids.add(d.pid())));
        return pids;
    }

    /** Starts it again on the same port and data directory; returns once it accepts connections. */
    public void launch() throws IOException, InterruptedException {
        Process server = wrapper = new ProcessBuilder(asOwner(bin.resolve("postgres").toString(), "-D", data().toString(), "-p",
                Integer.toString(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!ready()) {
            if (!server.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("PostgreSQL did not come up on port " + port + "; see " + log);
            }
            Thread.sleep(100);
        }
    }

    /** pg_isready: the server accepts connections (not still starting or recovering). */
    public boolean ready() throws IOException, InterruptedException {
        return new ProcessBuilder(bin.resolve("pg_isready").toString(), "-q", "-h", "127.0.0.1", "-p", Integer.toString(port), "-t",
                "2").redirectErrorStream(true).redirectOutput(Redirect.DISCARD).start().waitFor() == 0;
    }

    /** Fast shutdown, then SIGQUIT, then SIGKILL, each by pid; then the directory goes. Safe to call twice. */
    public void stop() {
        if (dir == null) {
            return;
        }
        try {
            Optional<Long> pid = Files.exists(data().resolve("postmaster.pid")) ? Optional.of(postmasterPid()) : Optional.empty();
            if (pid.isPresent() && ours(pid.get())) {
                signal("INT", pid.get());
                if (!waitUntilGone(pid.get(), 20)) {
                    signal("QUIT", pid.get());
                    if (!waitUntilGone(pid.get(), 10)) {
                        signal("KILL", pid.get());
                        waitUntilGone(pid.get(), 10);
                    }
                }
            }
            // The server's own process (runuser when root) ends with it; make sure, by its handle.
            if (wrapper != null && !wrapper.waitFor(10, TimeUnit.SECONDS)) {
                wrapper.destroyForcibly();
            }
            TempDirs.delete(dir);
            dir = null;
        } catch (IOException e) {
            throw new IllegalStateException("could not stop the private PostgreSQL in " + dir, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public long postmasterPid() throws IOException {
        return Long.parseLong(Files.readAllLines(data().resolve("postmaster.pid")).get(0).trim());
    }

    private Path data() {
        return dir.resolve("data");
    }

    private static List<String> asOwner(String... command) {
        List<String> full = new ArrayList<>(ROOT ? List.of("runuser", "-u", "postgres", "--") : List.of());
        full.addAll(List.of(command));
        return full;
    }

    /** Alive and our server binary: a stale pid file's pid may belong to another process by now. */
    private boolean ours(long pid) {
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).flatMap(h -> h.info().command())
                .map(c -> c.startsWith(bin.toString())).orElse(false);
    }

    private static long effectiveUid() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).longValue();
        } catch (IOException | UnsupportedOperationException e) {
            return -1;
        }
    }

    private void run(String what, List<String> command, String stdin) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(Redirect.appendTo(log.toFile())).start();
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(what + " failed; see " + log);
        }
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).redirectErrorStream(true).redirectOutput(Redirect.DISCARD).start()
                .waitFor();
    }

    private static boolean waitUntilGone(long pid, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** The test resource: one private PostgreSQL per test class, static so that the test can crash it. */
    public static class Resource implements QuarkusTestResourceLifecycleManager {

        public static volatile PrivatePostgres server;

        @Override
        public Map<String, String> start() {
            server = new PrivatePostgres();
            try {
                server.start();
            } catch (Exception e) {
                server.stop();
                throw new IllegalStateException("could not start a private PostgreSQL", e);
            }
            return server.config();
        }

        @Override
        public void stop() {
            if (server != null) {
                server.stop();
            }
        }
    }
}
