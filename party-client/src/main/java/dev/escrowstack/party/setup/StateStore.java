package dev.escrowstack.party.setup;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * One state file per escrow and role ({@code <dir>/<escrow>-<role>.json}, mode 0600, directory 0700), and one for the
 * funds commands beside it ({@code <escrow>-<role>-funds.json}). Written to a 0600 temporary file and moved over the
 * old one, so a kill at any moment leaves either the old state or the new.
 */
public final class StateStore {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    public StateStore(Path dir, String escrowId, String role) {
        this(dir, escrowId, role, "");
    }

    /** {@code suffix}: "" for the setup's file, e.g. "-funds" for another file of the same escrow and role. */
    public StateStore(Path dir, String escrowId, String role, String suffix) {
        this.file = dir.resolve(escrowId.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + role + suffix + ".json");
    }

    public Path file() {
        return file;
    }

    /** Held for a run: a second client for the same escrow and role on this machine stops at once instead of racing. */
    public Lock lock() {
        try {
            ensureDir();
            FileChannel channel = FileChannel.open(file.resolveSibling(file.getFileName() + ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new PartyException(PartyException.ERROR, "another escrow-party is running for this escrow and role ("
                        + file + "): let it finish, or stop it first");
            }
            return new Lock(channel);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lock " + file, e);
        }
    }

    /** Released when the run ends (and by the OS when the process dies). */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;

        private Lock(FileChannel channel) {
            this.channel = channel;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock goes with the process anyway
            }
        }
    }

    private void ensureDir() throws IOException {
        Path dir = file.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    public SetupState load(String escrowId, String role) {
        SetupState state = read(SetupState.class);
        return state == null ? SetupState.fresh(escrowId, role) : state;
    }

    /** The state kept in this file, null when there is none yet. */
    public <T> T read(Class<T> type) {
        if (!Files.exists(file)) {
            return null;
        }
        try {
            return JSON.readValue(file.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the state file " + file, e);
        }
    }

    public void save(Object state) {
        try {
            ensureDir();
            Path dir = file.getParent();
            Path tmp = dir.resolve(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(state));
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the state file " + file, e);
        }
    }
}
