package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.gateway.support.Gateway.Lease;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A real, unmodified monero-ts (0.11.15 from npm, installed in this test's own directory) runs the whole 2-of-3
 * key exchange through the pass-through, with nothing but what the lease answer gives a holder: each role's
 * rpc_url and the lease's digest login. After the lease ends, the same login opens nothing.
 */
@QuarkusTest
class StandardClientTest {

    static final String MONERO_TS = "monero-ts@0.11.15";
    static final List<String> ROLES = List.of("buyer", "vendor", "arbiter");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path client;

    @Test
    void moneroTsSetsUpA2Of3WithTheLeasesUrlsAndLoginAlone() throws Exception {
        install();
        awaitIdlePool(3);
        Lease lease = Lease.of(lease("esc-monero-ts", newWallets("buyer", "vendor", "arbiter"), 60));
        List<String> urls = ROLES.stream().map(r -> lease.body().getString("wallets." + r + ".rpc_url")).toList();
        String username = lease.body().getString("rpc_login.username");
        String password = lease.body().getString("rpc_login.password");
        for (int i = 0; i < ROLES.size(); i++) {
            assertTrue(urls.get(i).startsWith("http://") && urls.get(i).endsWith("/v1/leases/" + lease.id() + "/wallets/" + ROLES.get(i)),
                    urls.get(i));
        }
        // The login is the holder's secret: given once, in the grant, never in a list.
        api().get("/v1/leases/" + lease.id()).then().statusCode(200).body("rpc_login", nullValue())
                .body(not(containsString(password)));

        JsonNode setup = node("setup", urls, username, password);
        Set<String> addresses = new HashSet<>();
        setup.path("addresses").forEach(a -> addresses.add(a.asText()));
        assertEquals(1, addresses.size(), "one multisig address for the three wallets: " + setup);
        assertFalse(addresses.iterator().next().isBlank(), setup.toString());
        for (JsonNode m : setup.path("multisig")) {
            assertTrue(m.path("multisig").asBoolean() && m.path("ready").asBoolean(), setup.toString());
            assertEquals(2, m.path("threshold").asInt());
            assertEquals(3, m.path("total").asInt());
        }
        // The gateway's own view agrees: same wallets, ready 2-of-3 on that address.
        for (String role : ROLES) {
            lease.call().get(lease.path(role, "state")).then().statusCode(200).body("is_multisig", is(true)).body("ready", is(true))
                    .body("address", is(addresses.iterator().next()));
        }

        // A wrong password, then the right login of an ended lease: refused like a stale token.
        assertRefused(node("probe", urls.subList(0, 1), username, password + "x"));
        assertTrue(node("probe", urls.subList(0, 1), username, password).path("ok").asBoolean(), "the login works while the lease lasts");
        lease.release();
        assertRefused(node("probe", urls.subList(0, 1), username, password));
    }

    private static void assertRefused(JsonNode probe) {
        assertTrue(probe.has("error") && probe.toString().contains("401"), "refused with 401: " + probe);
    }

    private void install() throws Exception {
        Files.copy(Path.of("src/test/monero-ts/multisig.mjs"), client.resolve("multisig.mjs"));
        Files.writeString(client.resolve("package.json"), "{\"name\": \"gateway-standard-client\", \"private\": true, \"type\": \"module\"}");
        Process npm = new ProcessBuilder("npm", "install", "--no-audit", "--no-fund", "--loglevel=error", MONERO_TS)
                .directory(client.toFile()).redirectErrorStream(true).start();
        String output = new String(npm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(npm.waitFor(5, TimeUnit.MINUTES), "npm install timed out");
        assertEquals(0, npm.exitValue(), "npm install " + MONERO_TS + ": " + output);
    }

    private JsonNode node(String mode, List<String> urls, String username, String password) throws Exception {
        String args = JSON.writeValueAsString(Map.of("urls", urls, "username", username, "password", password));
        Process node = new ProcessBuilder("node", "multisig.mjs", mode, args).directory(client.toFile()).redirectErrorStream(true).start();
        String output = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(node.waitFor(5, TimeUnit.MINUTES), "monero-ts timed out: " + output);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        try {
            return JSON.readTree(last);
        } catch (Exception e) {
            throw new AssertionError("monero-ts printed no result: " + output, e);
        }
    }
}
