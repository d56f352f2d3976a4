package dev.escrowstack.gateway.rpc;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.OptionalLong;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.gateway.config.GatewayConfig;
import io.quarkus.logging.Log;

/**
 * The height of the chain the wallets' monerod has ({@code /get_height}): what a refresh must reach. A wallet's own
 * answer to refresh cannot tell (monero-wallet-rpc 0.18 can end one short of the tip and say it fetched
 * nothing), so the gateway compares the wallet's height with the daemon's. Empty without a daemon (offline
 * wallets) or when it does not answer: the caller falls back to the wallet's own account.
 */
@ApplicationScoped
public class DaemonTip {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final ObjectMapper json = new ObjectMapper();
    private final GatewayConfig config;

    public DaemonTip(GatewayConfig config) {
        this.config = config;
    }

    public OptionalLong height() {
        if (config.pool().daemonAddress().isEmpty()) {
            return OptionalLong.empty();
        }
        String address = config.pool().daemonAddress().get();
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + address + "/get_height")).timeout(TIMEOUT)
                    .POST(HttpRequest.BodyPublishers.ofString("{}")).header("Content-Type", "application/json").build(),
                    HttpResponse.BodyHandlers.ofString());
            JsonNode height = json.readTree(r.body()).path("height");
            return r.statusCode() == 200 && height.canConvertToLong() ? OptionalLong.of(height.asLong()) : OptionalLong.empty();
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            Log.debugf("the daemon's height is unknown (%s): a refresh stops when it fetches nothing", e.toString());
            return OptionalLong.empty();
        }
    }
}
