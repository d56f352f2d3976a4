package dev.escrowstack.gateway.lease;

import static org.junit.jupiter.api.Assertions.*;

import dev.escrowstack.telemetry.Role;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.support.ConfigStub;
import dev.escrowstack.gateway.support.Processes;
import dev.escrowstack.gateway.process.WalletProcess;

class FencingLedgerTest {

    @TempDir
    Path data;

    /** Only dataDir() is answered: the class under test must need nothing else. */
    static GatewayConfig config(Path dataDir) {
        return ConfigStub.answering(Map.of("dataDir", dataDir));
    }

    @Test
    void tokensStrictlyIncrease() throws Exception {
        FencingLedger ledger = new FencingLedger(config(data));
        long previous = 0;
        // Past two reservation blocks, so the re-reservation path is exercised too.
        for (int i = 0; i < 2500; i++) {
            long token = ledger.nextToken();
            assertTrue(token > previous, token + " after " + previous);
            previous = token;
        }
        ledger.close();
    }

    @Test
    void restartNeverReusesAToken() throws Exception {
        FencingLedger before = new FencingLedger(config(data));
        long last = 0;
        for (int i = 0; i < 1500; i++) {
            last = before.nextToken();
        }
        // Not closed: a crash gives no chance to persist anything more.

        FencingLedger after = new FencingLedger(config(data));
        long first = after.nextToken();

        assertTrue(first > last, "token " + first + " after restart, but " + last + " was already handed out");
        after.close();
        before.close();
    }

    @Test
    void grantAndEndAreLoggedAndSurviveRestart() throws Exception {
        FencingLedger ledger = new FencingLedger(config(data));
        long token = ledger.nextToken();
        Map<Role, LeasedWallet> wallets = new EnumMap<>(Role.class);
        wallets.put(Role.buyer, new LeasedWallet(Role.buyer, "w-0a1b", process(2), true));
        Lease lease = new Lease("l-1", "escrow-9", token, wallets, Instant.now(), Instant.now().plusSeconds(60), 0);

        ledger.granted(lease);
        lease.state(LeaseState.RELEASED);
        ledger.ended(lease);
        ledger.close();

        Path log = data.resolve("fencing.log");
        assertEquals(log, ledger.logFile().toAbsolutePath());
        List<String> lines = Files.readAllLines(log);
        assertEquals(3, lines.size(), lines.toString());
        // A run starts with START: the replay forgets the previous run's leases there.
        assertEquals("START", lines.get(0).split(" ")[1]);
        // The field positions are what support.FencingLog replays to detect double holding.
        String[] grant = lines.get(1).split(" ");
        Instant.parse(grant[0]);
        assertEquals(List.of("GRANT", Long.toString(token), "l-1", "process=2", "wallet=w-0a1b", "role=buyer",
                "holder=escrow-9"), List.of(grant).subList(1, grant.length));
        String[] end = lines.get(2).split(" ");
        assertEquals(List.of("END", Long.toString(token), "l-1", "RELEASED"), List.of(end).subList(1, end.length));

        // A restarted gateway appends: the log is the whole history, never truncated.
        FencingLedger restarted = new FencingLedger(config(data));
        restarted.ended(lease);
        restarted.close();
        List<String> after = Files.readAllLines(log);
        assertEquals(5, after.size());
        assertEquals(lines, after.subList(0, 3));
        assertEquals("START", after.get(3).split(" ")[1]);
    }

    private WalletProcess process(int index) {
        return Processes.notStarted(index, data.resolve("process-" + index));
    }
}
