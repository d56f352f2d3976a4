package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.quarkus.logging.Log;

/**
 * Remembers the pid of every wallet-rpc process in the data directory, so that a gateway killed
 * with -9 can find and stop what it left running at its next start. A pid is only trusted while
 * its command line still names our data directory: pids get reused.
 */
final class PidRegistry {

    private final Path pidDir;
    private final Path dataDir;

    PidRegistry(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.pidDir = this.dataDir.resolve("pids");
    }

    void record(int index, long pid) throws IOException {
        Files.createDirectories(pidDir);
        Path tmp = pidDir.resolve(index + ".pid.tmp");
        Files.deleteIfExists(tmp);
        Files.createFile(tmp, PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rw-------")));
        Files.writeString(tmp, Long.toString(pid), StandardCharsets.US_ASCII);
        Files.move(tmp, pidDir.resolve(index + ".pid"), StandardCopyOption.ATOMIC_MOVE,
                StandardCopyOption.REPLACE_EXISTING);
    }

    void forget(int index) throws IOException {
        Files.deleteIfExists(pidDir.resolve(index + ".pid"));
    }

    /**
     * Stops every monero-wallet-rpc still running on our data directory: the recorded pids, and any
     * process whose command line points into it (one started just before a crash, pid not yet written).
     * Returns the pids stopped.
     */
    List<Long> reapOrphans(Duration stopTimeout) throws IOException {
        List<Long> candidates = new ArrayList<>();
        if (Files.isDirectory(pidDir)) {
            try (Stream<Path> files = Files.list(pidDir)) {
                for (Path file : (Iterable<Path>) files::iterator) {
                    readPid(file).ifPresent(candidates::add);
                    Files.deleteIfExists(file);
                }
            }
        }
        ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> !candidates.contains(pid))
                .forEach(candidates::add);
        List<Long> reaped = new ArrayList<>();
        for (long pid : candidates) {
            if (ours(pid)) {
                ProcessHandle.of(pid).ifPresent(handle -> {
                    Log.warnf("stopping orphaned monero-wallet-rpc pid %d left by a previous run", pid);
                    stop(handle, stopTimeout);
                    reaped.add(pid);
                });
            }
        }
        return reaped;
    }

    /** True while {@code pid} is a wallet-rpc process working in our data directory. */
    boolean ours(long pid) {
        String cmdline = commandLine(pid);
        return cmdline.contains("monero-wallet-rpc") && cmdline.contains(dataDir.resolve("rpc").toString() + "/");
    }

    static void stop(ProcessHandle handle, Duration timeout) {
        handle.destroy();
        try {
            handle.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                Log.errorf("pid %d did not exit after SIGKILL", handle.pid());
            }
        }
    }

    private static String commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return new String(raw, StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException | SecurityException e) {
            return "";
        }
    }

    private static Optional<Long> readPid(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }
}
