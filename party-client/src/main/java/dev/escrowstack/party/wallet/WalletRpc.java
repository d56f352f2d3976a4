package dev.escrowstack.party.wallet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.telemetry.EscrowAttributes;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.SpanNames;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;

/**
 * JSON-RPC client of the party's own monero-wallet-rpc (its /json_rpc URL), with the digest login when one is given.
 * Each call is one CLIENT span when tracing is on; the multisig info or transaction set a call produced appears there as
 * its SHA-256 only.
 */
public final class WalletRpc {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** Creating a wallet or a multisig key exchange takes seconds of CPU; a slow machine must not look like a dead wallet. */
    private static final Duration TIMEOUT = Duration.ofMinutes(3);

    private final URI url;
    private final String user;
    private final String password;
    private final Tracer tracer;
    // One connection, reused: the digest nonce the wallet-rpc hands out belongs to the connection it came on.
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private DigestAuth challenge;

    /** {@code login} is "user:password" or null for a wallet-rpc started with --disable-rpc-login. */
    public WalletRpc(URI url, String login, Tracer tracer) {
        this.url = url;
        int colon = login == null ? -1 : login.indexOf(':');
        this.user = colon < 0 ? null : login.substring(0, colon);
        this.password = colon < 0 ? null : login.substring(colon + 1);
        this.tracer = tracer;
    }

    public URI url() {
        return url;
    }

    /** The call's {@code result}; a JSON-RPC error, an HTTP error or no answer is a {@link WalletRpcException}. */
    public JsonNode call(String method, Map<String, ?> params) {
        Tracer.Span span = tracer.start(SpanNames.walletRpc(method))
                .attribute(EscrowAttributes.RPC_SYSTEM, EscrowAttributes.RPC_SYSTEM_JSONRPC)
                .attribute(EscrowAttributes.RPC_METHOD, method)
                .attribute(EscrowAttributes.SERVER_ADDRESS, url.getHost())
                .attribute(EscrowAttributes.SERVER_PORT, (long) port());
        try {
            JsonNode result = send(method, params);
            hash(span, EscrowAttributes.MULTISIG_INFO_SHA256, result.path("multisig_info"));
            hash(span, EscrowAttributes.MULTISIG_INFO_SHA256, result.path("info")); // export_multisig_info's
            hash(span, EscrowAttributes.PARTY_PAYOUT_TXSET_SHA256, result.path("multisig_txset")); // sweep_all's
            hash(span, EscrowAttributes.PARTY_PAYOUT_TXSET_SHA256, result.path("tx_data_hex")); // sign_multisig's
            if (result.path("tx_hash_list").isArray() && !result.path("tx_hash_list").isEmpty()) {
                StringJoiner hashes = new StringJoiner(",");
                result.path("tx_hash_list").forEach(h -> hashes.add(h.asText())); // public once submitted
                span.attribute(EscrowAttributes.PAYOUT_TX_HASHES, hashes.toString());
            }
            return result;
        } catch (WalletRpcException e) {
            if (e.code() != null) {
                span.attribute(EscrowAttributes.RPC_JSONRPC_ERROR_CODE, (long) e.code());
            }
            span.error(e.code() == null ? "unreachable" : String.valueOf(e.code()), e.getMessage());
            throw e;
        } finally {
            span.end();
        }
    }

    /** A secret the call returned (an info, a transaction set), as its SHA-256 only. */
    private static void hash(Tracer.Span span, String attribute, JsonNode value) {
        if (value.isTextual() && !value.asText().isEmpty()) {
            span.attribute(attribute, Hashes.sha256Hex(value.asText()));
        }
    }

    private int port() {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    private JsonNode send(String method, Map<String, ?> params) {
        ObjectNode request = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", "0").put("method", method);
        request.set("params", JSON.valueToTree(params == null ? Map.of() : params));
        byte[] body = request.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        try {
            HttpResponse<byte[]> response = post(body);
            if (response.statusCode() == 401 && user != null) {
                // A first call, or a nonce the wallet-rpc no longer knows: answer the new challenge once.
                challenge = DigestAuth.parse(response.headers().allValues("WWW-Authenticate"))
                        .orElseThrow(() -> new WalletRpcException(method, null, "401 without an MD5 digest challenge from " + url));
                response = post(body);
            }
            if (response.statusCode() == 401) {
                throw new WalletRpcException(method, null, "login refused by " + url
                        + (user == null ? " (it asks for one: --rpc-login-file)" : " (check --rpc-login-file)"));
            }
            if (response.statusCode() != 200) {
                throw new WalletRpcException(method, null, "HTTP " + response.statusCode() + " from " + url);
            }
            JsonNode reply = JSON.readTree(response.body());
            JsonNode error = reply.get("error");
            if (error != null && !error.isNull()) {
                throw new WalletRpcException(method, error.path("code").asInt(), error.path("message").asText());
            }
            return reply.path("result");
        } catch (IOException e) {
            throw new WalletRpcException(method, null, "cannot reach " + url + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new WalletRpcException(method, null, "interrupted");
        }
    }

    private HttpResponse<byte[]> post(byte[] body) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (challenge != null) {
            request.header("Authorization", challenge.authorization("POST", url.getRawPath(), user, password));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }
}
