package dev.escrowstack.escrow.service;

import java.time.Duration;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.persistence.DatabaseOutage;
import io.quarkus.logging.Log;

/**
 * Writes a setup's outcome through a short database outage. By then the wallets have done their work, and
 * an outcome lost to a restarting database would leave the escrow INITIALIZING until the sweep of
 * abandoned setups fails it minutes later. So a write that failed because the database was unreachable is
 * tried again (each attempt its own transaction) until {@code escrow.setup.record-retry} runs out; any
 * other failure, and an outage that outlasts the window, is thrown as it came. Every write given here must
 * be safe to repeat: a commit whose answer was lost may have happened.
 */
@ApplicationScoped
class Recorded {

    private static final Duration POLL = Duration.ofMillis(500);

    private final Duration window;

    Recorded(EscrowConfig config) {
        this.window = config.setup().recordRetry();
    }

    <T> T write(String escrowId, String what, Supplier<T> write) {
        long deadline = System.nanoTime() + window.toNanos();
        for (int retries = 0;; retries++) {
            try {
                T written = write.get();
                if (retries > 0) {
                    Log.infof("escrow %s: %s recorded once the database was back (%d retries)", escrowId, what, retries);
                }
                return written;
            } catch (RuntimeException e) {
                if (!DatabaseOutage.isOutage(e)) {
                    throw e;
                }
                if (System.nanoTime() + POLL.toNanos() > deadline) {
                    Log.errorf("escrow %s: %s not recorded, the database stayed unreachable for %d s; the escrow stays"
                            + " INITIALIZING until the sweep of abandoned setups fails it", escrowId, what, window.toSeconds());
                    throw e;
                }
                if (retries == 0) {
                    Log.warnf("escrow %s: the database is unreachable, recording %s again for up to %d s (%s)", escrowId, what,
                            window.toSeconds(), e.getMessage());
                }
                try {
                    Thread.sleep(POLL.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
