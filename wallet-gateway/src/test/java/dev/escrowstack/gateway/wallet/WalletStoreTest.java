package dev.escrowstack.gateway.wallet;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.support.ConfigStub;

class WalletStoreTest {

    static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");

    @TempDir
    Path data;
    Path wallets;
    Path spares;
    Path quarantine;
    WalletStore store;

    @BeforeEach
    void initStore() throws IOException {
        store = new WalletStore(config(data));
        store.init();
        wallets = data.resolve("wallets");
        spares = data.resolve("spares");
        quarantine = data.resolve("quarantine");
    }

    /** Only dataDir() is answered: the class under test must need nothing else. */
    static GatewayConfig config(Path dataDir) {
        return ConfigStub.answering(Map.of("dataDir", dataDir));
    }

    @Test
    void validIdAcceptsPlainNames() {
        assertTrue(WalletStore.validId("w-0a1b"));
        assertTrue(WalletStore.validId("a".repeat(64)));
    }

    @Test
    void validIdRejectsAnythingThatCouldEscapeOrCollide() {
        // Ids become file names: no separators, no dots (they would clash with .keys/.address.txt).
        for (String id : new String[] { "", "../x", "a/b", "a.b", ".hidden", "a".repeat(65) }) {
            assertFalse(WalletStore.validId(id), id);
        }
        assertFalse(WalletStore.validId(null));
    }

    @Test
    void newIdIsValidAndRandom() {
        String id = WalletStore.newId();
        assertTrue(id.matches("w-[0-9a-f]{20}"), id);
        assertTrue(WalletStore.validId(id));
        assertNotEquals(id, WalletStore.newId());
    }

    @Test
    void initMakesOwnerOnlyDirectories() throws IOException {
        for (Path dir : List.of(wallets, spares, quarantine)) {
            assertTrue(Files.isDirectory(dir), dir.toString());
            assertEquals(OWNER_ONLY_DIR, Files.getPosixFilePermissions(dir), dir.toString());
        }
    }

    @Test
    void checkOutAndInMoveAllThreeFilesAndMakeThemOwnerOnly() throws IOException {
        Path processDir = processDir("p0");
        walletFiles(spares, "w-1");

        store.checkOut("w-1", true, processDir);
        assertWalletIn(processDir, "w-1");
        assertOwnerOnly(processDir, "w-1");
        assertNoWalletFiles(spares, "w-1");

        // Back as a leased wallet, not a spare: it lands in wallets/. (The wallet may have rewritten
        // its files with looser permissions while open.)
        Files.setPosixFilePermissions(processDir.resolve("w-1.keys"), PosixFilePermissions.fromString("rw-r--r--"));
        store.checkIn("w-1", false, processDir);
        assertWalletIn(wallets, "w-1");
        assertOwnerOnly(wallets, "w-1");
        assertNoWalletFiles(processDir, "w-1");
        assertNoWalletFiles(spares, "w-1");

        store.checkOut("w-1", false, processDir);
        assertWalletIn(processDir, "w-1");
        assertNoWalletFiles(wallets, "w-1");
    }

    @Test
    void checkOutRejectsInvalidId() throws IOException {
        Path processDir = processDir("p0");
        assertThrows(IllegalArgumentException.class, () -> store.checkOut("../wallets/x", false, processDir));
    }

    @Test
    void existsClosedOnlyForLeasedWalletsAtRest() throws IOException {
        walletFiles(spares, "spare");
        walletFiles(wallets, "leased");
        Files.writeString(data.resolve("outside.keys"), "k");

        assertTrue(store.existsClosed("leased"));
        assertFalse(store.existsClosed("spare"), "a spare has never been leased");
        assertFalse(store.existsClosed("missing"));
        assertFalse(store.existsClosed("../outside"), "an id must not reach outside wallets/");
    }

    @Test
    void closedSparesListsIdsWithKeysSorted() throws IOException {
        walletFiles(spares, "s-b");
        walletFiles(spares, "s-a");
        Files.writeString(spares.resolve("s-c"), "cache without keys");

        assertEquals(List.of("s-a", "s-b"), store.closedSpares());
    }

    @Test
    void reconcileBringsStrayFilesHome() throws IOException {
        Path p0 = processDir("p0");
        Path p1 = processDir("p1");
        walletFiles(p0, "w-a");
        Files.writeString(p1.resolve("w-b.keys"), "keys");
        walletFiles(spares, "untouched");

        int moved = store.reconcile(List.of(p0, p1, data.resolve("never-started")));

        assertEquals(4, moved);
        assertWalletIn(wallets, "w-a");
        assertTrue(Files.exists(wallets.resolve("w-b.keys")));
        try (var left = Files.list(p0)) {
            assertEquals(0, left.count());
        }
        assertWalletIn(spares, "untouched");
    }

    @Test
    void reconcileMergesHalfMovedSpareIntoWallets() throws IOException {
        // A crash during checkOut of a spare: the cache already moved (it goes first), .keys did not.
        Path p0 = processDir("p0");
        walletFiles(spares, "w-s");
        Files.move(spares.resolve("w-s"), p0.resolve("w-s"));

        store.reconcile(List.of(p0));

        // It may have been handed out, so it must never be offered as a fresh spare again.
        assertWalletIn(wallets, "w-s");
        assertNoWalletFiles(spares, "w-s");
        assertEquals(List.of(), store.closedSpares());
        assertTrue(store.existsClosed("w-s"));
    }

    @Test
    void quarantineCacheMovesOnlyTheCache() throws IOException {
        Path processDir = processDir("p0");
        walletFiles(processDir, "w-q");

        Path moved = store.quarantineCache("w-q", processDir);

        assertEquals(quarantine, moved.getParent());
        assertTrue(moved.getFileName().toString().matches("w-q\\.\\d+\\.cache"), moved.toString());
        assertEquals("cache of w-q", Files.readString(moved), "quarantined, never deleted");
        assertFalse(Files.exists(processDir.resolve("w-q")));
        assertTrue(Files.exists(processDir.resolve("w-q.keys")), "the keys rebuild the cache");
        assertTrue(Files.exists(processDir.resolve("w-q.address.txt")));
    }

    @Test
    void quarantineCacheRejectsInvalidId() throws IOException {
        Path processDir = processDir("p0");
        assertThrows(IllegalArgumentException.class, () -> store.quarantineCache("../x", processDir));
    }

    private Path processDir(String name) throws IOException {
        return Files.createDirectories(data.resolve("processes").resolve(name).resolve("wallets"));
    }

    /** A wallet's three files, world-readable as a careless umask would leave them. */
    private static void walletFiles(Path dir, String id) throws IOException {
        Set<PosixFilePermission> loose = PosixFilePermissions.fromString("rw-r--r--");
        for (String name : List.of(id, id + ".keys", id + ".address.txt")) {
            Path f = Files.writeString(dir.resolve(name), name.equals(id) ? "cache of " + id : name);
            Files.setPosixFilePermissions(f, loose);
        }
    }

    private static void assertWalletIn(Path dir, String id) throws IOException {
        for (String name : List.of(id, id + ".keys", id + ".address.txt")) {
            assertTrue(Files.isRegularFile(dir.resolve(name)), dir.resolve(name) + " missing");
        }
        assertEquals("cache of " + id, Files.readString(dir.resolve(id)), "contents must survive the move");
    }

    private static void assertOwnerOnly(Path dir, String id) throws IOException {
        for (String name : List.of(id, id + ".keys", id + ".address.txt")) {
            assertEquals(OWNER_ONLY_FILE, Files.getPosixFilePermissions(dir.resolve(name)), dir.resolve(name).toString());
        }
    }

    private static void assertNoWalletFiles(Path dir, String id) {
        for (String name : List.of(id, id + ".keys", id + ".address.txt")) {
            assertFalse(Files.exists(dir.resolve(name)), dir.resolve(name) + " left behind");
        }
    }
}
