package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command and the skill's curl loop, exactly: ./stack up, three concurrent
 * inits, status, down, up again (nothing lost), down.
 */
class StackLauncherIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path home;

    int escrowPort;
    int gatewayPort;

    @AfterEach
    void cleanUp() throws Exception {
        run("down");
        for (long pid : ServiceProcess.walletRpcPidsUnder(home)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void upThenTheSkillsThreeConcurrentCurlsGiveThreeReadyEscrowsThatSurviveARestart() throws Exception {
        escrowPort = portOr(8080); // the skill's port when it is free
        gatewayPort = portOr(8081);
        Result up = run("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("http://127.0.0.1:" + escrowPort), up.output());

        // Step 2 of the skill, verbatim but for the port.
        String loop = "for i in {1..3}; do\n"
                + "  curl -s -X POST http://localhost:" + escrowPort + "/api/escrow/init \\\n"
                + "    -H \"Content-Type: application/json\" \\\n"
                + "    -d \"{\\\"buyer_id\\\": \\\"buyer$i\\\", \\\"vendor_id\\\": \\\"vendor$i\\\", \\\"amount\\\": 1000000}\" &\n"
                + "done\n"
                + "wait\n";
        Result curls = shell(loop);
        List<String> ready = find(curls.output(), "\"status\":\"READY\"");
        assertEquals(3, ready.size(), curls.output());
        Set<String> addresses = new HashSet<>(find(curls.output(), "\"multisig_address\":\"([^\"]+)\""));
        assertEquals(3, addresses.size(), curls.output());
        assertEquals(9, ServiceProcess.walletRpcPidsUnder(home).size(), "the launcher's pool of 9 runs");

        Result status = run("status");
        assertTrue(status.output().contains("escrow-service") && status.output().contains("wallet-gateway"), status.output());
        assertFalse(status.output().contains("stopped"), status.output());

        assertEquals(0, run("down").exit());
        assertEquals(List.of(), ServiceProcess.walletRpcPidsUnder(home), "down leaves no wallet-rpc behind");
        assertTrue(run("status").output().contains("stopped"));

        // Nothing is lost on a restart.
        assertEquals(0, run("up").exit());
        Result list = shell("curl -s 'http://localhost:" + escrowPort + "/api/escrow?status=READY'");
        for (String address : addresses) {
            assertTrue(list.output().contains(address), list.output());
        }
        String secrets = Files.readString(home.resolve("secrets.env"));
        String walletSecret = secrets.lines().filter(l -> l.startsWith("GATEWAY_WALLET_SECRET=")).findFirst().orElseThrow()
                .substring("GATEWAY_WALLET_SECRET=".length());
        for (String log : List.of("wallet-gateway.log", "escrow-service.log")) {
            assertFalse(Files.readString(home.resolve("logs").resolve(log)).contains(walletSecret), "secret in " + log);
        }
    }

    private static List<String> find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return found;
    }

    private static int portOr(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), preferred));
            return preferred;
        } catch (IOException taken) {
            try (ServerSocket s = new ServerSocket(0)) {
                return s.getLocalPort();
            }
        }
    }

    record Result(int exit, String output) {
    }

    private Result run(String command) throws IOException, InterruptedException {
        return exec(List.of(ROOT.resolve("stack").toString(), command));
    }

    private Result shell(String script) throws IOException, InterruptedException {
        return exec(List.of("bash", "-c", script));
    }

    private Result exec(List<String> command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("STACK_HOME", home.toString());
        pb.environment().put("ESCROW_HTTP_PORT", Integer.toString(escrowPort));
        pb.environment().put("GATEWAY_HTTP_PORT", Integer.toString(gatewayPort));
        pb.environment().put("GATEWAY_POOL_BASE_PORT", "18600");
        pb.environment().put("ESCROW_INSTANCE_ID", "stack-it");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Result(p.exitValue(), output);
    }
}
