package dev.escrowstack.gateway.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.testsupport.GatewayJar;
import dev.escrowstack.testsupport.WalletRpcProcesses;

/** kill -9 of the gateway itself, then a restart on the same data directory. */
class GatewayRestartIT {

    @TempDir
    Path tmp;

    Path data;
    GatewayJar gateway;

    @AfterEach
    void cleanUp() {
        if (gateway != null) {
            gateway.stopAll();
        }
    }

    @Test
    void aRestartAfterKill9LeavesNoOrphansAndTheWalletsOpenAgain() throws Exception {
        data = tmp.resolve("gateway");
        gateway = new GatewayJar(Path.of("target/quarkus-app/quarkus-run.jar"), data, 3, 1, 18500, "it-token");
        gateway.start();

        var lease = gateway.send("POST", "/v1/leases", "{\"holder\":\"esc-restart\",\"wallets\":{\"buyer\":{}},\"ttl_seconds\":300}", null);
        assertEquals(201, lease.statusCode(), lease.body());
        String leaseId = field(lease.body(), "lease_id");
        long token = Long.parseLong(field(lease.body(), "fencing_token"));
        String walletId = field(lease.body(), "wallet_id");
        var state = gateway.send("GET", "/v1/leases/" + leaseId + "/wallets/buyer/state", null, token);
        assertEquals(200, state.statusCode(), state.body());
        String address = field(state.body(), "address");

        List<Long> before = WalletRpcProcesses.under(data);
        assertEquals(3, before.size(), "one wallet-rpc per pool slot");
        gateway.kill9();
        assertTrue(before.stream().anyMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)),
                "kill -9 of the gateway leaves its wallet-rpc processes behind");

        gateway.start();
        for (long pid : before) {
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "orphan " + pid + " was reaped");
        }
        assertEquals(3, WalletRpcProcesses.under(data).size(), "exactly the new pool runs");

        // The lease died with the old gateway; the wallet did not.
        assertEquals(404, gateway.send("GET", "/v1/leases/" + leaseId + "/wallets/buyer/state", null, token).statusCode());
        var again = gateway.send("POST", "/v1/leases",
                "{\"holder\":\"esc-restart\",\"wallets\":{\"buyer\":{\"wallet_id\":\"" + walletId + "\"}}}", null);
        assertEquals(201, again.statusCode(), again.body());
        String againId = field(again.body(), "lease_id");
        long againToken = Long.parseLong(field(again.body(), "fencing_token"));
        assertTrue(againToken > token, "fencing tokens keep growing across restarts");
        var reopened = gateway.send("GET", "/v1/leases/" + againId + "/wallets/buyer/state", null, againToken);
        assertEquals(200, reopened.statusCode(), reopened.body());
        assertEquals(address, field(reopened.body(), "address"), "the wallet is intact");
        assertEquals(204, gateway.send("DELETE", "/v1/leases/" + againId, null, againToken).statusCode());

        // A graceful stop stores the wallets, stops every process and brings every file home.
        gateway.stop(); // fails the test unless it stops within 90 s of SIGTERM
        assertTrue(WalletRpcProcesses.under(data).isEmpty(), "no wallet-rpc left after SIGTERM");
        try (Stream<Path> left = Files.walk(data.resolve("rpc")).filter(p -> p.getParent().getFileName().toString().equals("wallets"))) {
            assertEquals(List.of(), left.toList(), "no wallet file left in a process directory");
        }
        Path keys = data.resolve("wallets").resolve(walletId + ".keys");
        assertTrue(Files.exists(keys));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys)));
        assertTrue(Files.readString(data.resolve("fencing.log")).contains("GRANT " + againToken));

        // Started with another wallet secret, the gateway cannot open the wallet: it says why, and does not take
        // the wallet's cache for damaged (nothing quarantined, the files as they were).
        gateway = gateway.with(java.util.Map.of("GATEWAY_WALLET_SECRET", "another-wallet-secret-9876543210"));
        gateway.start();
        var refused = gateway.send("POST", "/v1/leases",
                "{\"holder\":\"esc-restart\",\"wallets\":{\"buyer\":{\"wallet_id\":\"" + walletId + "\"}}}", null);
        assertEquals(502, refused.statusCode(), refused.body());
        assertTrue(refused.body().contains("encrypted with another password"), refused.body());
        try (Stream<Path> quarantined = Files.list(data.resolve("quarantine"))) {
            assertEquals(List.of(), quarantined.filter(p -> p.getFileName().toString().startsWith(walletId)).toList(),
                    "a wallet with another password is not damaged");
        }
        // The old spare is of no use with the new secret: set aside (by the spare keeper, within seconds).
        Path aside = data.resolve("quarantine/other-password");
        for (int i = 0; i < 120 && !Files.isDirectory(aside); i++) {
            Thread.sleep(500);
        }
        try (Stream<Path> spares = Files.list(aside)) {
            assertTrue(spares.anyMatch(p -> p.getFileName().toString().endsWith(".keys")), "the old spare in " + aside);
        }
        assertTrue(Files.exists(data.resolve("wallets").resolve(walletId)), "its cache is back in the store");
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*\"?([^\",}]*)").matcher(json);
        assertTrue(m.find(), name + " in " + json);
        return m.group(1);
    }
}
