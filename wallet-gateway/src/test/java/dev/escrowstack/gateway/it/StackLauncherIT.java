package dev.escrowstack.gateway.it;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, exactly: ./stack up, status, down. */
class StackLauncherIT {

    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path home;

    int port;

    @AfterEach
    void cleanUp() throws Exception {
        run("down");
        for (long pid : GatewayProcess.walletRpcPidsUnder(home)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void upStartsAHealthyGatewayAndDownStopsEverything() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Result up = run("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("http://127.0.0.1:" + port), up.output());

        HttpResponse<String> health = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/q/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(2, GatewayProcess.walletRpcPidsUnder(home).size(), "the configured pool runs");
        String secrets = Files.readString(home.resolve("secrets.env"));
        assertTrue(secrets.contains("GATEWAY_API_TOKEN=") && secrets.contains("GATEWAY_WALLET_SECRET="));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(home.resolve("secrets.env"))));
        String log = Files.readString(home.resolve("logs/wallet-gateway.log"));
        assertFalse(log.contains(secrets.lines().filter(l -> l.startsWith("GATEWAY_WALLET_SECRET=")).findFirst().orElseThrow()
                .substring("GATEWAY_WALLET_SECRET=".length())), "the wallet secret is never logged");

        Result status = run("status");
        assertTrue(status.output().contains("running"), status.output());

        Result down = run("down");
        assertEquals(0, down.exit(), down.output());
        assertEquals(List.of(), GatewayProcess.walletRpcPidsUnder(home), "down leaves no wallet-rpc behind");
        assertTrue(run("status").output().contains("stopped"));
    }

    record Result(int exit, String output) {
    }

    private Result run(String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("stack").toString(), command).redirectErrorStream(true);
        pb.environment().put("STACK_HOME", home.toString());
        pb.environment().put("GATEWAY_HTTP_PORT", Integer.toString(port));
        pb.environment().put("GATEWAY_POOL_SIZE", "2");
        pb.environment().put("GATEWAY_POOL_BASE_PORT", "18600");
        pb.environment().put("GATEWAY_WALLETS_SPARES", "1");
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        return new Result(p.exitValue(), output);
    }
}
