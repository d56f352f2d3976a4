package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.escrow.support.RealGateway;
import dev.escrowstack.escrow.support.TestTokens;

import dev.escrowstack.testsupport.GatewayJar;

import dev.escrowstack.testsupport.JarProcess;

/** kill -9 of escrow-service in the middle of a setup, then a restart: the escrow ends FAILED, the lease is released. */
class EscrowCrashIT {

    @TempDir
    Path work;

    GatewayJar gateway;
    JarProcess escrow;

    @AfterEach
    void cleanUp() throws Exception {
        if (escrow != null) {
            escrow.stop();
        }
        if (gateway != null) {
            gateway.stopAll();
        }
    }

    @Test
    void aSetupCutOffByAKill9IsFailedAtRestartAndItsLeaseReleased() throws Exception {
        gateway = RealGateway.of(work.resolve("gateway"), 3, 18700);
        gateway.start();
        escrow = new JarProcess(Path.of("target/quarkus-app/quarkus-run.jar"), Map.of(
                "WALLET_GATEWAY_URL", gateway.url(),
                "GATEWAY_API_TOKEN", RealGateway.TOKEN,
                "ESCROW_DATA_DIR", work.resolve("escrow").toString(),
                "ESCROW_INSTANCE_ID", "crash-it",
                "ESCROW_JWT_PUBLIC_KEY", TestTokens.publicKey().toString(),
                "ESCROW_JWT_ISSUER", TestTokens.ISSUER,
                "ESCROW_AUTH_LOOPBACK_ROLE", "marketplace",
                "OTEL_SDK_DISABLED", "true"), work.resolve("escrow-service.log"));
        escrow.start();

        CompletableFuture<HttpResponse<String>> init = CompletableFuture.supplyAsync(() -> {
            try {
                return escrow.send("POST", "/api/escrow/init", "{\"buyer_id\":\"b\",\"vendor_id\":\"v\",\"amount\":1000000}");
            } catch (Exception e) {
                return null; // the service dies under this call
            }
        });
        // Kill once the setup holds its lease and has begun talking to the wallets.
        long deadline = System.currentTimeMillis() + 60_000;
        while (!gateway.get("/v1/leases").body().contains("lease_id") && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(300);
        escrow.kill9();
        assertTrue(gateway.get("/v1/leases").body().contains("lease_id"), "the dead service's lease is still held");

        escrow.start();
        String list = escrow.get("/api/escrow", "Authorization", "Bearer " + TestTokens.token("ops@test", "operator")).body();
        String id = match(list, "\"escrow_id\":\"([^\"]+)\"");
        String view = escrow.get("/api/escrow/" + id).body();
        assertTrue(view.contains("\"status\":\"FAILED\""), view);
        assertTrue(view.contains("\"operation\":\"abandoned\""), view);
        assertTrue(view.contains("restarted during the setup"), view);
        assertEquals("[]", gateway.get("/v1/leases").body().replaceAll("\\s", ""), "the lease was released");
        init.cancel(true);

        // And the service works normally afterwards.
        HttpResponse<String> next = escrow.send("POST", "/api/escrow/init", "{\"buyer_id\":\"b2\",\"vendor_id\":\"v2\",\"amount\":7}");
        assertEquals(201, next.statusCode(), next.body());
        assertTrue(next.body().contains("\"status\":\"READY\""), next.body());
    }

    private static String match(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertTrue(m.find(), text);
        return m.group(1);
    }
}
