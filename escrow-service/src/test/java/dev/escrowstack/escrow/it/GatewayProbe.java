package dev.escrowstack.escrow.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a running wallet-gateway says about itself, read the way an operator reads it: its pool
 * ({@code /v1/pool}), its active leases, and its Prometheus counters of wallet RPC calls. The fault
 * tests use the counters to know which round a setup is in without touching it.
 */
final class GatewayProbe {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final String base;
    private final String token;

    GatewayProbe(String base, String token) {
        this.base = base;
        this.token = token;
    }

    JsonNode pool() throws IOException, InterruptedException {
        return JSON.readTree(get("/v1/pool").body());
    }

    List<JsonNode> activeLeases() throws IOException, InterruptedException {
        List<JsonNode> leases = new ArrayList<>();
        JSON.readTree(get("/v1/leases").body()).forEach(leases::add);
        return leases;
    }

    /** The pool's process on this port, if the pool lists it. */
    Optional<JsonNode> processOn(int port) throws IOException, InterruptedException {
        for (JsonNode p : pool().get("processes")) {
            if (p.get("port").asInt() == port) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** wallet_rpc_call_seconds_count of one method, every outcome summed (an exemplar may follow the value); 0 before the first call. */
    long rpcCalls(String method) throws IOException, InterruptedException {
        Pattern line = Pattern.compile("^wallet_rpc_call_seconds_count\\{([^}]*)\\} ([0-9.eE+]+)", Pattern.MULTILINE);
        Matcher m = line.matcher(get("/q/metrics").body());
        long calls = 0;
        while (m.find()) {
            if (m.group(1).contains("method=\"" + method + "\"")) {
                calls += (long) Double.parseDouble(m.group(2));
            }
        }
        return calls;
    }

    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> send(String method, String path, String json, Long fencingToken) throws IOException, InterruptedException {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(90))
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            r.header("Content-Type", "application/json");
        }
        if (fencingToken != null) {
            r.header("Fencing-Token", Long.toString(fencingToken));
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Leases the escrow's three wallets by id and reads each one's state: a wallet file that a kill left
     * half-written would not open. Returns each role's state (is_multisig, ready, file_exists, …).
     */
    Map<String, JsonNode> openEach(JsonNode wallets, String holder) throws IOException, InterruptedException {
        StringBuilder wanted = new StringBuilder();
        for (var w = wallets.fields(); w.hasNext();) {
            var e = w.next();
            wanted.append(wanted.isEmpty() ? "" : ",").append('"').append(e.getKey()).append("\":{\"wallet_id\":\"")
                    .append(e.getValue().asText()).append("\"}");
        }
        HttpResponse<String> granted = send("POST", "/v1/leases",
                "{\"holder\":\"" + holder + "\",\"wallets\":{" + wanted + "},\"ttl_seconds\":120,\"wait_seconds\":120}", null);
        if (granted.statusCode() != 201) {
            throw new AssertionError("could not lease the wallets again: " + granted.statusCode() + " " + granted.body());
        }
        JsonNode lease = JSON.readTree(granted.body());
        long fencing = lease.get("fencing_token").asLong();
        String id = lease.get("lease_id").asText();
        Map<String, JsonNode> states = new TreeMap<>();
        try {
            for (var role = wallets.fieldNames(); role.hasNext();) {
                String r = role.next();
                HttpResponse<String> state = send("GET", "/v1/leases/" + id + "/wallets/" + r + "/state", null, fencing);
                if (state.statusCode() != 200) {
                    throw new AssertionError("the " + r + " wallet did not open: " + state.statusCode() + " " + state.body());
                }
                states.put(r, JSON.readTree(state.body()));
            }
        } finally {
            send("DELETE", "/v1/leases/" + id, null, fencing);
        }
        return states;
    }
}
