package dev.escrowstack.gateway.wallet;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WalletFileSpansTest {

    @TempDir
    Path dir;

    @Test
    void permissionsAreOctalAsLsShowsThem() throws IOException {
        Path keys = Files.createFile(dir.resolve("w-1.keys"));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-------"));
        assertEquals("600", WalletFileSpans.permissions(keys));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rwxr-x--x"));
        assertEquals("751", WalletFileSpans.permissions(keys));
        Files.setPosixFilePermissions(keys, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals("644", WalletFileSpans.permissions(keys));
    }

    @Test
    void aMissingFileHasNoPermissions() {
        assertNull(WalletFileSpans.permissions(dir.resolve("w-gone.keys")));
    }
}
