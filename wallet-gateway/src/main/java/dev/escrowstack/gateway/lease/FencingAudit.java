package dev.escrowstack.gateway.lease;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays a fencing log (see {@link FencingLedger}) and reports every time a process or a wallet was
 * granted to a lease while another lease still held it: the check that exclusive leases held, after the
 * fact, across restarts (a START line ends the previous run's leases).
 */
public final class FencingAudit {

    /** {@code violations}: one sentence each; empty when no process or wallet was ever held twice. */
    public record Result(int grants, int ends, int runs, List<String> violations) {
    }

    private FencingAudit() {
    }

    public static Result of(List<String> lines) {
        Map<String, String> processHeldBy = new HashMap<>();
        Map<String, String> walletHeldBy = new HashMap<>();
        List<String> violations = new ArrayList<>();
        int grants = 0;
        int ends = 0;
        int runs = 0;
        for (String line : lines) {
            String[] f = line.split(" ");
            if (f.length < 3) {
                continue; // a line cut short by a crash
            }
            String token = f[2];
            switch (f[1]) {
                case "GRANT" -> {
                    grants++;
                    if (f.length > 5) {
                        hold(processHeldBy, f[4], token, violations);
                        hold(walletHeldBy, f[5], token, violations);
                    }
                }
                case "END" -> {
                    ends++;
                    processHeldBy.values().removeIf(token::equals);
                    walletHeldBy.values().removeIf(token::equals);
                }
                case "START" -> {
                    runs++;
                    processHeldBy.clear();
                    walletHeldBy.clear();
                }
                default -> {
                    // unknown kinds are skipped: the log may gain lines that do not hold anything
                }
            }
        }
        return new Result(grants, ends, runs, violations);
    }

    private static void hold(Map<String, String> heldBy, String what, String token, List<String> violations) {
        String holder = heldBy.putIfAbsent(what, token);
        if (holder != null && !holder.equals(token)) {
            violations.add(what + " granted to token " + token + " while token " + holder + " held it");
        }
    }
}
