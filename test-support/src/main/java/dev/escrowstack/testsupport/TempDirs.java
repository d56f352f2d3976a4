package dev.escrowstack.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Temporary directories of whole stacks: tens of megabytes each (wallets, logs, escrow files) that /tmp should not keep. */
public final class TempDirs {

    private TempDirs() {
    }

    /**
     * {@link #delete(Path)}, but what cannot be deleted is left and said on stderr: called after the processes
     * writing there were stopped, a file that a dying one still holds must not turn a passed class into a failed one.
     */
    public static void deleteQuietly(Path dir) {
        try {
            delete(dir);
        } catch (IOException | RuntimeException e) {
            System.err.println("left " + dir + ": " + e.getMessage());
        }
    }

    /** Deletes {@code dir} and everything under it; the first file that cannot be deleted is an error. */
    public static void delete(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }
}
