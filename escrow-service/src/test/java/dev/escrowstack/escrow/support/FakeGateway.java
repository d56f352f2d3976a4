package dev.escrowstack.escrow.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A scripted stand-in for wallet-gateway, for the error handling of escrow-service only (the real
 * gateway proves the working path). Each test sets the script, then counts the calls it got.
 */
public class FakeGateway implements QuarkusTestResourceLifecycleManager {

    /** How many lease calls answer 503 before one is granted (Integer.MAX_VALUE: never granted). */
    public static volatile int busyLeaseAnswers;
    /** How many grants fail with 502 lease-setup-failed (a wallet-rpc died while the gateway opened a wallet) first. */
    public static volatile int brokenGrants;
    /** The role whose make_multisig the wallet refuses with -28, or null. */
    public static volatile String refuseMakeFor;
    /** The role whose make_multisig answer is lost (connection closed), or null; {@code loseMakeAnswers} times at most. */
    public static volatile String loseMakeAnswerFor;
    public static volatile int loseMakeAnswers;
    public static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    /** The multisig address every unscripted setup ends on (the fake's wallets are all the same three). */
    static final String ADDRESS = "fake-multisig-address";
    /** The W3C trace headers (traceparent, then baggage) of the last make_multisig call per role. */
    public static final Map<String, java.util.List<String>> MAKE_TRACE_HEADERS = new ConcurrentHashMap<>();

    private HttpServer server;

    public static void reset() {
        busyLeaseAnswers = 0;
        brokenGrants = 0;
        refuseMakeFor = null;
        loseMakeAnswerFor = null;
        loseMakeAnswers = Integer.MAX_VALUE;
        CALLS.clear();
        MAKE_TRACE_HEADERS.clear();
    }

    public static int calls(String what) {
        return CALLS.getOrDefault(what, new AtomicInteger()).get();
    }

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/v1/leases", this::handle);
        server.start();
        return Map.of("wallet-gateway.urls", "http://127.0.0.1:" + server.getAddress().getPort(),
                "wallet-gateway.token", "fake-token");
    }

    private void handle(HttpExchange x) throws IOException {
        String path = x.getRequestURI().getPath();
        String method = x.getRequestMethod();
        x.getRequestBody().readAllBytes();
        if (method.equals("POST") && path.equals("/v1/leases")) {
            int n = count("lease");
            if (n <= busyLeaseAnswers) {
                x.getResponseHeaders().add("Retry-After", "1");
                problem(x, 503, "pool-busy", "every process is leased", null);
                return;
            }
            if (count("broken-grant") <= brokenGrants) {
                problem(x, 502, "lease-setup-failed", "opening the vendor wallet failed: create_wallet on 127.0.0.1:2 failed", null);
                return;
            }
            // Each grant has three new wallets, as the real gateway's: w-b<n>, w-v<n>, w-a<n> of lease l-fake-<n>.
            int g = count("grant");
            json(x, 201, "{\"lease_id\":\"l-fake-" + g + "\",\"fencing_token\":7,\"wallets\":{"
                    + "\"buyer\":{\"wallet_id\":\"w-b" + g + "\",\"port\":1,\"process\":0},"
                    + "\"vendor\":{\"wallet_id\":\"w-v" + g + "\",\"port\":2,\"process\":1},"
                    + "\"arbiter\":{\"wallet_id\":\"w-a" + g + "\",\"port\":3,\"process\":2}}}");
            return;
        }
        if (method.equals("DELETE")) {
            count("release");
            x.sendResponseHeaders(204, -1);
            x.close();
            return;
        }
        String role = path.replaceAll(".*/wallets/([a-z]+)/.*", "$1");
        if (path.endsWith("/multisig/prepare")) {
            count("prepare");
            json(x, 200, "{\"multisig_info\":\"info-" + role + "\",\"multisig_info_sha256\":\"x\"}");
        } else if (path.endsWith("/multisig/make")) {
            count("make:" + role);
            count("make:" + path.replaceAll(".*/leases/([^/]+)/.*", "$1") + ":" + role); // per lease: per wallet
            MAKE_TRACE_HEADERS.put(role, java.util.Arrays.asList(x.getRequestHeaders().getFirst("traceparent"),
                    x.getRequestHeaders().getFirst("baggage")));
            if (role.equals(refuseMakeFor)) {
                problem(x, 422, "wallet-rpc-error", "the " + role + " wallet refused make_multisig: This wallet is already multisig", -28);
            } else if (role.equals(loseMakeAnswerFor) && count("lost") <= loseMakeAnswers) {
                x.close(); // the call reached the wallet, the answer never came back
            } else {
                json(x, 200, "{\"address\":\"\",\"multisig_info\":\"made-" + role + "\",\"multisig_info_sha256\":\"x\"}");
            }
        } else if (path.endsWith("/multisig/exchange")) {
            // Round 2 answers no address yet, round 3 the shared one, as monero-wallet-rpc does.
            boolean last = count("exchange:" + role) % 2 == 0;
            json(x, 200, "{\"address\":\"" + (last ? ADDRESS : "") + "\",\"multisig_info\":\"exchanged-" + role
                    + "\",\"multisig_info_sha256\":\"x\"}");
        } else if (path.endsWith("/state")) {
            json(x, 200, "{\"role\":\"" + role + "\",\"wallet_id\":\"w-" + role.charAt(0) + "\",\"port\":1,\"is_multisig\":true,"
                    + "\"ready\":true,\"threshold\":2,\"total\":3,\"address\":\"" + ADDRESS + "\",\"address_hash\":\"x\","
                    + "\"balance\":0,\"unlocked_balance\":0,\"file_exists\":true,\"collection_time_ms\":1,"
                    + "\"file_perms\":\"600\",\"open_wallets_count\":1}");
        } else {
            problem(x, 404, "not-scripted", path, null);
        }
    }

    private static int count(String what) {
        return CALLS.computeIfAbsent(what, k -> new AtomicInteger()).incrementAndGet();
    }

    private static void problem(HttpExchange x, int status, String type, String detail, Integer walletCode) throws IOException {
        String body = "{\"type\":\"urn:escrow-stack:problem:" + type + "\",\"title\":\"t\",\"status\":" + status + ",\"detail\":\""
                + detail + "\"" + (walletCode == null ? "" : ",\"wallet_rpc_error_code\":" + walletCode) + "}";
        x.getResponseHeaders().add("Content-Type", "application/problem+json");
        send(x, status, body);
    }

    private static void json(HttpExchange x, int status, String body) throws IOException {
        x.getResponseHeaders().add("Content-Type", "application/json");
        send(x, status, body);
    }

    private static void send(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop(0);
        }
    }
}
