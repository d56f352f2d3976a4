package dev.escrowstack.gateway.support;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import dev.escrowstack.gateway.lease.FencingAudit;

/**
 * Replays the gateway's fencing log and fails if any process or wallet was ever granted to a lease
 * while another lease still held it. Returns the number of grants checked.
 */
public final class FencingLog {

    private FencingLog() {
    }

    public static int assertNoDoubleHolding(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        assertFalse(lines.isEmpty(), "the fencing log is empty");
        FencingAudit.Result audit = FencingAudit.of(lines);
        assertTrue(audit.violations().isEmpty(), () -> String.join("; ", audit.violations()));
        return audit.grants();
    }
}
