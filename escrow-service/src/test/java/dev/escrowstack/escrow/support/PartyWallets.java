package dev.escrowstack.escrow.support;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The parties' side of a non-custodial escrow in a test: a monero-wallet-rpc of each party's own (stagenet,
 * offline, on 127.0.0.1, outside any gateway), with one new wallet in it, and the party client
 * (party-client's jar, a separate program) driving it. Everything started here is stopped by pid on close.
 */
public final class PartyWallets implements AutoCloseable {

    /** A party's own monero-wallet-rpc, with one wallet in it. */
    public record Wallet(String name, int port) {
        public String url() {
            return "http://127.0.0.1:" + port + "/json_rpc";
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;
    /** host:port of a monerod the wallets sync with (a regtest chain: mainnet addresses); null: stagenet, offline. */
    private final String daemon;

    public PartyWallets(Path dir) {
        this(dir, null);
    }

    public PartyWallets(Path dir, String daemon) {
        this.dir = dir;
        this.daemon = daemon;
    }

    /** A new wallet-rpc with a new wallet named {@code name}: seconds of CPU (monero-wallet-rpc 0.18's RSA key per wallet). */
    public Wallet start(String name) {
        try {
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Path walletDir = Files.createDirectories(dir.resolve(name));
            List<String> network = daemon == null ? List.of("--stagenet", "--offline") : List.of("--daemon-address", daemon, "--trusted-daemon");
            List<String> command = new ArrayList<>(List.of("monero-wallet-rpc"));
            command.addAll(network);
            // As the README starts a party's wallet-rpc: SSL off on loopback, or 0.18 spends an RSA-4096 key on each
            // client in SSL's autodetect mode (the server's, and the daemon client of the wallet created below).
            command.addAll(List.of("--wallet-dir", walletDir.toString(), "--rpc-bind-ip", "127.0.0.1", "--rpc-bind-port",
                    Integer.toString(port), "--daemon-ssl", "disabled", "--rpc-ssl", "disabled", "--disable-rpc-login",
                    "--non-interactive", "--log-file", walletDir.resolve("wallet-rpc.log").toString()));
            Process p = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(walletDir.resolve("wallet-rpc.out").toFile()).start();
            synchronized (processes) {
                processes.add(p);
            }
            Wallet w = new Wallet(name, port);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).ignoreExceptions()
                    .until(() -> rpc(w, "get_version", Map.of()).has("version"));
            rpc(w, "create_wallet", Map.of("filename", name, "password", "", "language", "English"));
            return w;
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(name + "'s wallet-rpc: " + e, e);
        }
    }

    /** Several of {@link #start}'s wallets at once, by name (each is seconds of one core). */
    public Map<String, Wallet> startAll(List<String> names) {
        Map<String, CompletableFuture<Wallet>> starting = new LinkedHashMap<>();
        for (String name : names) {
            starting.put(name, CompletableFuture.supplyAsync(() -> start(name)));
        }
        Map<String, Wallet> started = new LinkedHashMap<>();
        starting.forEach((name, wallet) -> started.put(name, wallet.join()));
        return started;
    }

    /** A JSON-RPC call on the party's wallet-rpc; its {@code result}, or an exception with the wallet's error. */
    public JsonNode rpc(Wallet w, String method, Map<String, ?> params) throws IOException, InterruptedException {
        String body = JSON.writeValueAsString(Map.of("jsonrpc", "2.0", "id", "0", "method", method, "params", params));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(w.url())).timeout(Duration.ofSeconds(120))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode reply = JSON.readTree(r.body());
        if (reply.has("error")) {
            throw new IllegalStateException(w.name() + " " + method + ": " + reply.get("error"));
        }
        return reply.path("result");
    }

    /** The party's round-1 info (prepare_multisig reads the wallet's keys; it changes nothing). */
    public String roundOneInfo(Wallet w) throws IOException, InterruptedException {
        return rpc(w, "prepare_multisig", Map.of("enable_multisig_experimental", true)).path("multisig_info").asText();
    }

    /**
     * tools/escrow-party join for {@code role} of escrow {@code id} on {@code wallet}; its progress goes to a log
     * beside the wallet. {@code more}: further options (e.g. --otlp-endpoint).
     */
    public Process partyClient(String service, String id, String role, String token, Wallet wallet, String... more) throws IOException {
        return partyCommand("join", service, id, role, token, wallet, more);
    }

    /** tools/escrow-party {@code command} (join, sync, release, refund, sign) for {@code role} of escrow {@code id} on {@code wallet}. */
    public Process partyCommand(String verb, String service, String id, String role, String token, Wallet wallet, String... more)
            throws IOException {
        Path jar = Path.of("../party-client/target/escrow-party.jar");
        assertTrue(Files.exists(jar), "the party client is built before escrow-service (reactor order): " + jar.toAbsolutePath());
        Path tokenFile = Files.writeString(dir.resolve(wallet.name() + "-" + role + ".token"), token);
        List<String> command = new ArrayList<>(List.of("java", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), verb, "--service",
                service, "--escrow", id, "--role", role, "--token-file", tokenFile.toString(), "--wallet-rpc", wallet.url(), "--state-dir",
                dir.resolve("state-" + wallet.name()).toString()));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectError(log(wallet).toFile()).start();
        synchronized (processes) {
            processes.add(p);
        }
        return p;
    }

    /** Waits for a party client: exit 0, progress through round 1 to READY; returns the address it printed last. */
    public String finish(Process client, Wallet wallet) throws Exception {
        String out = new String(client.getInputStream().readAllBytes()).trim();
        String progress = outcome(client, wallet, 0);
        assertTrue(progress.contains("round 1") && progress.contains("READY"), progress);
        return out.lines().reduce((a, b) -> b).orElse("");
    }

    /** Waits for a party client to exit with {@code exitCode} (0 READY, 1 FAILED: Options); returns its progress and messages. */
    public String outcome(Process client, Wallet wallet, int exitCode) throws Exception {
        assertTrue(client.waitFor(180, TimeUnit.SECONDS), wallet.name() + "'s client still runs");
        String progress = Files.readString(log(wallet));
        assertEquals(exitCode, client.exitValue(), wallet.name() + ": " + progress);
        return progress;
    }

    private Path log(Wallet wallet) {
        return dir.resolve("escrow-party-" + wallet.name() + ".log");
    }

    @Override
    public void close() throws InterruptedException {
        synchronized (processes) {
            for (Process p : processes) { // by pid: the processes started here, no others
                p.destroy();
                if (!p.waitFor(10, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            }
            processes.clear();
        }
    }
}
