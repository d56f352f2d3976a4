package dev.escrowstack.gateway.wallet;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.PrivateDirectory;
import io.quarkus.logging.Log;

/**
 * Where closed wallets rest. monero-wallet-rpc only opens files inside its own {@code --wallet-dir},
 * so a wallet is moved (renamed, same filesystem) into a process's directory while it is open there
 * and back when it is closed. Any process can then serve any wallet, and after a crash every wallet
 * file is found by {@link #reconcile} and brought home.
 * <p>
 * {@code spares/} holds fresh wallets never handed out; {@code wallets/} every wallet a lease has had.
 */
@ApplicationScoped
public class WalletStore {

    /** No dots: a wallet's files are {@code id}, {@code id.keys} and {@code id.address.txt}. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path wallets;
    private final Path spares;
    private final Path quarantine;

    public WalletStore(GatewayConfig config) {
        Path data = config.dataDir().toAbsolutePath().normalize();
        this.wallets = data.resolve("wallets");
        this.spares = data.resolve("spares");
        this.quarantine = data.resolve("quarantine");
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String newId() {
        byte[] b = new byte[10];
        RANDOM.nextBytes(b);
        return "w-" + HexFormat.of().formatHex(b);
    }

    public void init() throws IOException {
        PrivateDirectory.create(wallets);
        PrivateDirectory.create(spares);
        PrivateDirectory.create(quarantine);
    }

    /**
     * Moves a wallet's cache file (not its keys) out of the way, so monero-wallet-rpc rebuilds it from
     * the keys file. Used when a process died mid-write (e.g. kill -9 during make_multisig) and left a
     * cache that no longer matches the keys. Never deleted: it is kept in {@code quarantine/}.
     */
    public Path quarantineCache(String id, Path processDir) throws IOException {
        if (!validId(id)) {
            throw new IllegalArgumentException("invalid wallet id");
        }
        Path target = quarantine.resolve(id + "." + System.currentTimeMillis() + ".cache");
        Files.move(processDir.resolve(id), target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /**
     * A closed spare this gateway cannot open (its keys file has another password: the wallet secret
     * changed) is of no use to anyone; it goes to {@code quarantine/other-password/}, never deleted.
     */
    public Path setAsideSpare(String id) throws IOException {
        Path aside = quarantine.resolve("other-password");
        PrivateDirectory.create(aside);
        move(id, spares, aside);
        return aside;
    }

    /** A wallet that has been leased before and is closed now. */
    public boolean existsClosed(String id) {
        return validId(id) && Files.exists(wallets.resolve(id + ".keys"));
    }

    public List<String> closedSpares() throws IOException {
        TreeSet<String> ids = new TreeSet<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(spares, "*.keys")) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                ids.add(name.substring(0, name.length() - ".keys".length()));
            }
        }
        return new ArrayList<>(ids);
    }

    /** Where a closed, non-spare wallet's file {@code name} ({@code <id>} or {@code <id>.keys}) lies in the store. */
    public Path closedFile(String name) {
        return wallets.resolve(name);
    }

    /** Moves a closed wallet into a process's wallet directory so that process can open it. */
    public void checkOut(String id, boolean spare, Path processDir) throws IOException {
        move(id, spare ? spares : wallets, processDir);
    }

    /** Moves a wallet the process has closed back into the store. */
    public void checkIn(String id, boolean spare, Path processDir) throws IOException {
        move(id, processDir, spare ? spares : wallets);
    }

    /**
     * Brings every wallet file left in a process directory (a crash, a kill -9 of the gateway) back to
     * {@code wallets/}. Such a wallet may have been handed out, so it is never treated as a spare again.
     */
    public int reconcile(List<Path> processDirs) throws IOException {
        int moved = 0;
        for (Path dir : processDirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (Files.isRegularFile(f)) {
                        Path target = wallets.resolve(f.getFileName());
                        Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
                        moved++;
                    }
                }
            }
        }
        for (String id : closedSpares()) {
            if (Files.exists(wallets.resolve(id + ".keys")) || Files.exists(wallets.resolve(id))) {
                move(id, spares, wallets);
            }
        }
        if (moved > 0) {
            Log.infof("brought %d wallet files left in process directories back to the store", moved);
        }
        return moved;
    }

    private static void move(String id, Path from, Path to) throws IOException {
        if (!validId(id)) {
            throw new IllegalArgumentException("invalid wallet id");
        }
        // The cache file first and .keys last: a wallet is only visible at its destination once whole.
        for (String name : List.of(id, id + ".address.txt", id + ".keys")) {
            Path source = from.resolve(name);
            if (Files.exists(source)) {
                Path target = to.resolve(name);
                Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
                Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            }
        }
    }
}
