package dev.escrowstack.gateway.rpc;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Plain JSON-RPC 2.0 over HTTP to one monero-wallet-rpc, with digest authentication. No tracing
 * here: {@link TracedWalletRpc} wraps every call of the gateway in a span.
 */
@ApplicationScoped
public class WalletRpcClient {

    private static final String PATH = "/json_rpc";

    private final ObjectMapper json = new ObjectMapper();
    private final AtomicLong ids = new AtomicLong();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    /** Calls {@code method} and returns its {@code result}; wallet errors become {@link WalletRpcError}. */
    public JsonNode call(RpcEndpoint endpoint, String method, Map<String, ?> params, Duration timeout) {
        return call(endpoint, nextId(), method, params, timeout);
    }

    /** A fresh request id, for a caller that records it (jsonrpc.request.id) before the call. */
    public String nextId() {
        return Long.toString(ids.incrementAndGet());
    }

    /** {@link #call(RpcEndpoint, String, Map, Duration)} with the request id the caller chose. */
    public JsonNode call(RpcEndpoint endpoint, String id, String method, Map<String, ?> params, Duration timeout) {
        ObjectNode request = json.createObjectNode();
        request.put("jsonrpc", "2.0");
        request.put("id", id);
        request.put("method", method);
        request.set("params", params == null ? json.createObjectNode() : json.valueToTree(params));
        JsonNode response = exchange(endpoint, method, request, timeout);
        JsonNode error = response.get("error");
        if (error != null && !error.isNull()) {
            throw new WalletRpcError(method, error.path("code").asInt(), error.path("message").asText());
        }
        JsonNode result = response.get("result");
        if (result == null) {
            throw new WalletRpcUnavailable(method, "reply to " + method + " has neither result nor error", false, null);
        }
        return result;
    }

    /** Sends a JSON-RPC request body as it is and returns the wallet's reply as it is (the pass-through). */
    public JsonNode forward(RpcEndpoint endpoint, String method, JsonNode request, Duration timeout) {
        return exchange(endpoint, method, request, timeout);
    }

    private JsonNode exchange(RpcEndpoint endpoint, String method, JsonNode request, Duration timeout) {
        byte[] body;
        try {
            body = json.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new IllegalArgumentException("request is not serialisable", e);
        }
        try {
            endpoint.exchangeLock().lockInterruptibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletRpcUnavailable(method, method + " on " + endpoint + " was interrupted", false, e);
        }
        try {
            HttpResponse<byte[]> response = send(endpoint, body, timeout, endpoint.challenge());
            if (response.statusCode() == 401) {
                // First call, or the wallet rotated its nonce: answer the fresh challenge once.
                DigestChallenge challenge = DigestChallenge.parse(response.headers().allValues("WWW-Authenticate"))
                        .orElseThrow(() -> new WalletRpcUnavailable(method,
                                "wallet-rpc on " + endpoint + " refused authentication without a digest challenge", false, null));
                endpoint.challenge(challenge);
                response = send(endpoint, body, timeout, challenge);
            }
            if (response.statusCode() != 200) {
                throw new WalletRpcUnavailable(method,
                        "wallet-rpc on " + endpoint + " answered HTTP " + response.statusCode() + " to " + method, false, null);
            }
            return json.readTree(response.body());
        } catch (HttpTimeoutException e) {
            throw new WalletRpcUnavailable(method, method + " on " + endpoint + " timed out after " + timeout.toMillis() + " ms",
                    true, e);
        } catch (IOException e) {
            throw new WalletRpcUnavailable(method,
                    method + " on " + endpoint + " failed: " + e.getClass().getSimpleName()
                            + (e.getMessage() == null ? "" : " " + e.getMessage()),
                    false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletRpcUnavailable(method, method + " on " + endpoint + " was interrupted", false, e);
        } finally {
            endpoint.exchangeLock().unlock();
        }
    }

    private HttpResponse<byte[]> send(RpcEndpoint endpoint, byte[] body, Duration timeout, DigestChallenge challenge)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint.uri())
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (challenge != null) {
            request.header("Authorization", challenge.authorization("POST", PATH, endpoint.username(), endpoint.password()));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
