package dev.escrowstack.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The monero-wallet-rpc processes a test started, found by the data directory on their command line (every
 * pool process gets {@code --wallet-dir} under it): what an orphan check counts and what a cleanup stops,
 * by pid, never by name — another test's or the developer's own wallet-rpc is never touched.
 */
public final class WalletRpcProcesses {

    private WalletRpcProcesses() {
    }

    /** Every live monero-wallet-rpc whose command line points into {@code dir}. */
    public static List<Long> under(Path dir) {
        String needle = dir.toAbsolutePath().normalize().toString();
        List<Long> pids = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            try {
                String cmd = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cmdline"), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                if (cmd.contains("monero-wallet-rpc") && cmd.contains(needle)) {
                    pids.add(p.pid());
                }
            } catch (IOException | SecurityException gone) {
                // exited while we looked
            }
        });
        return pids;
    }

    /** SIGKILL, by pid, of every wallet-rpc under {@code dir}: a test's last cleanup. */
    public static void killUnder(Path dir) {
        for (long pid : under(dir)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }
}
