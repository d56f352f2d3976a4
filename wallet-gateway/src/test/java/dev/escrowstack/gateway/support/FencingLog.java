package dev.escrowstack.gateway.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays the gateway's fencing log and fails if any process or wallet was ever granted to a lease
 * while another lease still held it. Returns the number of grants checked.
 */
public final class FencingLog {

    private FencingLog() {
    }

    public static int assertNoDoubleHolding(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        Map<String, String> processHeldBy = new HashMap<>();
        Map<String, String> walletHeldBy = new HashMap<>();
        int grants = 0;
        long lastToken = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            String kind = f[1];
            String token = f[2];
            if (kind.equals("GRANT")) {
                String process = f[4];
                String wallet = f[5];
                String heldProcess = processHeldBy.putIfAbsent(process, token);
                assertTrue(heldProcess == null || heldProcess.equals(token),
                        () -> process + " granted to token " + token + " while token " + processHeldBy.get(process) + " held it");
                String heldWallet = walletHeldBy.putIfAbsent(wallet, token);
                assertTrue(heldWallet == null || heldWallet.equals(token),
                        () -> wallet + " granted to token " + token + " while token " + walletHeldBy.get(wallet) + " held it");
                grants++;
            } else if (kind.equals("START")) {
                // The gateway restarted: its in-memory leases are gone.
                processHeldBy.clear();
                walletHeldBy.clear();
            } else if (kind.equals("END")) {
                processHeldBy.values().removeIf(token::equals);
                walletHeldBy.values().removeIf(token::equals);
            }
            lastToken = Math.max(lastToken, Long.parseLong(token));
        }
        assertFalse(lines.isEmpty(), "the fencing log is empty");
        return grants;
    }
}
