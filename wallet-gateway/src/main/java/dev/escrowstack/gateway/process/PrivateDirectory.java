package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/** Directories only the gateway's user may enter (0700): wallet files and process logins live below them. */
public final class PrivateDirectory {

    private PrivateDirectory() {
    }

    public static void create(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
