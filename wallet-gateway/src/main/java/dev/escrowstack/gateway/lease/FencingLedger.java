package dev.escrowstack.gateway.lease;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;

/**
 * Fencing tokens and the fencing log. Tokens only ever grow, across restarts too: the high-water mark
 * is persisted in blocks, so a token handed out before a crash is never handed out again. The log
 * records every grant and end, one line each, so anyone can check afterwards that no wallet or process
 * was ever in two leases at once. A {@code START} line marks a new gateway run: the leases of the
 * previous run ended with it.
 */
@ApplicationScoped
public class FencingLedger {

    private static final long BLOCK = 1000;

    private final Path stateFile;
    private final Path logFile;
    private long next;
    private long reservedUpTo;
    private BufferedWriter log;

    public FencingLedger(GatewayConfig config) {
        Path data = config.dataDir().toAbsolutePath().normalize();
        this.stateFile = data.resolve("fencing.state");
        this.logFile = data.resolve("fencing.log");
    }

    public synchronized long nextToken() {
        try {
            if (log == null) {
                open();
            }
            if (next >= reservedUpTo) {
                reservedUpTo = next + BLOCK;
                Path tmp = stateFile.resolveSibling("fencing.state.tmp");
                Files.writeString(tmp, Long.toString(reservedUpTo), StandardCharsets.US_ASCII);
                Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            }
            return ++next;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot persist fencing state in " + stateFile, e);
        }
    }

    /** {@code GRANT <token> <lease> process=<i> wallet=<id> role=<role> holder=<holder>} */
    public synchronized void granted(Lease lease) {
        for (LeasedWallet w : lease.wallets().values()) {
            write("GRANT " + lease.fencingToken() + " " + lease.id() + " process=" + w.process().index() + " wallet="
                    + w.walletId() + " role=" + w.role() + " holder=" + lease.holder());
        }
    }

    /** Written after the lease's wallets are closed and its processes are free again. */
    public synchronized void ended(Lease lease) {
        write("END " + lease.fencingToken() + " " + lease.id() + " " + lease.state());
    }

    private void write(String line) {
        try {
            if (log == null) {
                open();
            }
            log.write(Instant.now() + " " + line);
            log.newLine();
            log.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write fencing log " + logFile, e);
        }
    }

    private void open() throws IOException {
        Files.createDirectories(stateFile.getParent());
        if (Files.exists(stateFile)) {
            next = Long.parseLong(Files.readString(stateFile).trim());
            reservedUpTo = next;
        }
        log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        // A new gateway run: every lease of the previous run ended with it, END line or not.
        write("START " + next);
    }

    public Path logFile() {
        return logFile;
    }

    @PreDestroy
    synchronized void close() throws IOException {
        if (log != null) {
            log.close();
        }
    }
}
