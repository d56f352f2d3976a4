package dev.escrowstack.escrow.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * The wallet-gateway pods and a REST client for each. A pod is named by its URL's host and port, which is
 * what escrows record: the wallets of an escrow live on one pod's volume, so every lease for it goes there.
 */
@ApplicationScoped
public class Gateways {

    private final Map<String, URI> urls = new LinkedHashMap<>();
    private final Map<String, WalletGatewayApi> clients = new LinkedHashMap<>();

    public Gateways(GatewayConfig config) {
        for (URI url : config.urls()) {
            String name = nameOf(url);
            if (urls.put(name, url) != null) {
                throw new IllegalArgumentException("wallet-gateway.urls lists " + name + " twice");
            }
            clients.put(name, QuarkusRestClientBuilder.newBuilder().baseUri(url)
                    .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                    .build(WalletGatewayApi.class));
        }
        if (urls.isEmpty()) {
            throw new IllegalArgumentException("wallet-gateway.urls is empty");
        }
    }

    public static String nameOf(URI url) {
        if (url.getHost() == null) {
            throw new IllegalArgumentException("not an http URL for wallet-gateway: " + url);
        }
        return url.getHost() + ":" + (url.getPort() != -1 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80);
    }

    public Map<String, URI> urls() {
        return urls;
    }

    /** The pod an escrow recorded; none recorded (an escrow from before routing) means the first. */
    public String resolve(String recorded) {
        String name = recorded == null ? urls.keySet().iterator().next() : recorded;
        if (!urls.containsKey(name)) {
            throw new GatewayCallFailed("lease", 0, "gateway-not-configured", "the escrow's wallets are on wallet-gateway " + name
                    + ", which is not in wallet-gateway.urls (WALLET_GATEWAY_URLS); add it back to reach them", null);
        }
        return name;
    }

    WalletGatewayApi client(String name) {
        return clients.get(resolve(name));
    }

    /**
     * The pods to try for a new escrow, best first: highest random weight for (pod, escrow id). Each escrow
     * gets a stable preference, escrows spread evenly, and adding a pod moves no one's first choice except
     * to the new pod.
     */
    public List<String> preference(String escrowId) {
        return urls.keySet().stream().sorted(Comparator.comparingLong((String name) -> weight(name, escrowId)).reversed()).toList();
    }

    private static long weight(String name, String escrowId) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((name + "\n" + escrowId).getBytes(StandardCharsets.UTF_8));
            long w = 0;
            for (int i = 0; i < 8; i++) {
                w = (w << 8) | (h[i] & 0xff);
            }
            return w;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
