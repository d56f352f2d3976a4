package dev.escrowstack.party;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A funded multisig wallet's monero-wallet-rpc as far as the funds commands use it (refresh, export_multisig_info,
 * import_multisig_info, get_balance, sweep_all, describe_transfer, sign_multisig, submit_multisig), no login. An offline
 * test wallet has no funds, so it cannot build or describe a real transaction set: this one answers with the shapes
 * monero-wallet-rpc v0.18 gives, and counts the calls. {@link #describeRecipient} is where its describe_transfer says
 * the set pays.
 */
final class StubWalletRpc implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String name;
    final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
    /** Every call's params, in order, e.g. "sign_multisig {…}". */
    final List<String> log = new CopyOnWriteArrayList<>();
    volatile String describeRecipient;
    volatile long describeChange;
    volatile boolean importNeeded;

    StubWalletRpc(String name) throws IOException {
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/json_rpc", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/json_rpc");
    }

    int count(String method) {
        AtomicInteger n = calls.get(method);
        return n == null ? 0 : n.get();
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            JsonNode request = JSON.readTree(http.getRequestBody().readAllBytes());
            String method = request.path("method").asText();
            JsonNode params = request.path("params");
            int n = calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
            log.add(method + " " + params);
            ObjectNode reply = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", "0");
            ObjectNode result = reply.putObject("result");
            switch (method) {
                case "refresh" -> result.put("blocks_fetched", 0).put("received_money", false);
                case "export_multisig_info" -> result.put("info", hex(name + "-export-" + n));
                case "import_multisig_info" -> result.put("n_outputs", 1);
                case "get_balance" -> result.put("balance", 1_000_000L).put("unlocked_balance", 1_000_000L)
                        .put("multisig_import_needed", importNeeded);
                case "sweep_all" -> {
                    result.put("multisig_txset", hex(name + "-txset-" + n + "-to-" + params.path("address").asText()));
                    result.putArray("amount_list").add(999_000L);
                    result.putArray("fee_list").add(1_000L);
                }
                case "describe_transfer" -> {
                    ObjectNode summary = result.putObject("summary").put("amount_in", 1_000_000L).put("amount_out", 999_000L)
                            .put("change_amount", describeChange).put("change_address", "").put("fee", 1_000L);
                    summary.putArray("recipients").addObject().put("address", describeRecipient).put("amount", 999_000L);
                }
                case "sign_multisig" -> {
                    result.put("tx_data_hex", hex(name + "-signed-" + n));
                    result.putArray("tx_hash_list");
                }
                case "submit_multisig" -> result.putArray("tx_hash_list").add("ab".repeat(31) + String.format("%02x", n));
                default -> {
                    reply.remove("result");
                    reply.putObject("error").put("code", -32601).put("message", "Method not found");
                }
            }
            byte[] bytes = JSON.writeValueAsBytes(reply);
            http.getResponseHeaders().set("Content-Type", "application/json");
            http.sendResponseHeaders(200, bytes.length);
            http.getResponseBody().write(bytes);
        }
    }

    private static String hex(String text) {
        return java.util.HexFormat.of().formatHex(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
