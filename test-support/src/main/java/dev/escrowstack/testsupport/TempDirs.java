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
     * Deletes {@code dir} and everything under it, as far as it can: called after the processes writing there
     * were stopped, a file that a dying one still holds must not turn a passed class into a failed one.
     */
    public static void deleteQuietly(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("left " + dir + ": " + e.getMessage());
        }
    }
}
