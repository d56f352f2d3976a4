package dev.escrowstack.escrow.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import dev.escrowstack.testsupport.GatewayJar;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A real wallet-gateway for the @QuarkusTests that need real wallets: a pool of 6 wallet-rpc processes,
 * which holds two escrows at a time, as in production's default. Started once per test JVM and shared by
 * every test class and profile that names this resource — its start (six processes, six spare wallets at
 * 2–5 s of CPU each) is the most expensive thing these tests do. Stopped by pid when the test JVM exits.
 * <p>
 * Where it runs is kept in a system property, not in a static field: Quarkus loads this class anew for every
 * application it starts (each test profile), so a static field started one gateway per profile, each on the same
 * data directory, each stopping the others' wallet-rpc processes as orphans.
 */
public class GatewayTestResource implements QuarkusTestResourceLifecycleManager {

    /** Outside every @ConfigMapping prefix: Quarkus refuses unknown properties under those. */
    private static final String URL_PROPERTY = "dev.escrowstack.test-gateway.url";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** A GET on the shared gateway as a caller makes it, so that a test can look at the pool (say, its spare wallets). */
    public static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null) {
            throw new IllegalStateException("the test gateway is not running");
        }
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + RealGateway.TOKEN).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public Map<String, String> start() {
        // System.getProperties() is the one object every class loader of this JVM sees: the lock across them.
        synchronized (System.getProperties()) {
            String url = System.getProperty(URL_PROPERTY);
            if (url == null || !answers()) {
                GatewayJar gateway = RealGateway.of(Path.of("target/escrow-test-gateway"), 6, 18400);
                Runtime.getRuntime().addShutdownHook(new Thread(gateway::stopAll, "stop-test-gateway"));
                try {
                    gateway.start();
                } catch (Exception e) {
                    gateway.stopAll();
                    throw new IllegalStateException("could not start wallet-gateway for the tests", e);
                }
                url = gateway.url();
                System.setProperty(URL_PROPERTY, url);
            }
            return Map.of("wallet-gateway.urls", url, "wallet-gateway.token", RealGateway.TOKEN);
        }
    }

    @Override
    public void stop() {
        // Kept for the next test class; the shutdown hook stops it with the test JVM.
    }

    private static boolean answers() {
        try {
            return get("/v1/pool").statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
