package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs ./stack and shell lines the way a user types them, in a working directory with an environment. */
final class StackRunner {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    record Result(int exit, String output) {
    }

    final Map<String, String> env = new HashMap<>();
    private final Path workdir;

    StackRunner(Path workdir) {
        this.workdir = workdir;
    }

    /** The same stack's settings, run from another directory (where a restarted trace-exporter then writes its files). */
    StackRunner in(Path otherWorkdir) {
        StackRunner other = new StackRunner(otherWorkdir);
        other.env.putAll(env);
        return other;
    }

    Path workdir() {
        return workdir;
    }

    /** {@code ./stack COMMAND [ARGS]}, e.g. {@code stack("restart", "escrow-service")}. */
    Result stack(String... command) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(ROOT.resolve("stack").toString()));
        line.addAll(List.of(command));
        return exec(line);
    }

    Result shell(String script) throws IOException, InterruptedException {
        return exec(List.of("bash", "-c", script));
    }

    /**
     * The ports a stack of one IT class prefers. Each class has its own, so that two classes can run side by side
     * (docs/testing.md measures it): a free port probed by both at once would be taken twice.
     */
    record Ports(int escrow, int gateway, int exporter, int walletRpcBase) {
        /** The skill's own: escrow-service on 8080, OTLP on 4318. */
        static final Ports SKILL = new Ports(8080, 8081, 4318, 18850);
    }

    /**
     * The launcher's settings for a stack of its own: STACK_HOME, the preferred HTTP ports when free (else any
     * free ones), wallet-rpc ports from {@code ports.walletRpcBase()}. Returns escrow-service's port.
     */
    int isolate(Path home, Ports ports, String instanceId) throws IOException {
        int escrowPort = portOr(ports.escrow());
        env.put("STACK_HOME", home.toString());
        env.put("ESCROW_HTTP_PORT", Integer.toString(escrowPort));
        env.put("GATEWAY_HTTP_PORT", Integer.toString(portOr(ports.gateway())));
        env.put("EXPORTER_HTTP_PORT", Integer.toString(portOr(ports.exporter())));
        env.put("GATEWAY_POOL_BASE_PORT", Integer.toString(ports.walletRpcBase()));
        env.put("ESCROW_INSTANCE_ID", instanceId);
        return escrowPort;
    }

    /** The skill's step 2, verbatim but for the port. */
    static String skillLoop(int escrowPort) {
        return "for i in {1..3}; do\n"
                + "  curl -s -X POST http://localhost:" + escrowPort + "/api/escrow/init \\\n"
                + "    -H \"Content-Type: application/json\" \\\n"
                + "    -d \"{\\\"buyer_id\\\": \\\"buyer$i\\\", \\\"vendor_id\\\": \\\"vendor$i\\\", \\\"amount\\\": 1000000}\" &\n"
                + "done\nwait\n";
    }

    /** The preferred port when it is free, else any free one. */
    static int portOr(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), preferred));
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

    /**
     * The skill's loop, verbatim. Its three curls print into one pipe at once, and curl's stdout to a pipe is
     * buffered 4 KiB at a time: a problem body longer than that (a diagnosis with its evidence) went out in two
     * writes and could interleave with another curl's, which no reader can take apart again. Each curl's output is
     * buffered whole instead (coreutils' stdbuf library, as {@code stdbuf -o 1M} would), so one body is one write.
     */
    Result runSkillLoop(int escrowPort) throws IOException, InterruptedException {
        Path stdbuf = Path.of("/usr/libexec/coreutils/libstdbuf.so");
        return exec(List.of("bash", "-c", skillLoop(escrowPort)),
                Files.exists(stdbuf) ? Map.of("LD_PRELOAD", stdbuf.toString(), "_STDBUF_O", "1048576") : Map.of());
    }

    private Result exec(List<String> command) throws IOException, InterruptedException {
        return exec(command, Map.of());
    }

    private Result exec(List<String> command, Map<String, String> extraEnv) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(workdir.toFile());
        pb.environment().putAll(env);
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "timed out: " + command);
        return new Result(p.exitValue(), output);
    }
}
