package dev.escrowstack.analyzer.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Files, directories (their escrow_*.json) and globs the shell left unexpanded, in a stable order. */
final class Inputs {

    private Inputs() {
    }

    static List<Path> expand(List<String> args) throws IOException, Options.UsageException {
        Set<Path> files = new LinkedHashSet<>();
        for (String arg : args) {
            Path p = Path.of(arg);
            if (Files.isDirectory(p)) {
                files.addAll(list(p, "escrow_*.json"));
            } else if (Files.exists(p) || !hasGlob(arg)) {
                files.add(p); // a missing plain file is reported when it is read
            } else {
                Path dir = p.getParent() == null ? Path.of(".") : p.getParent();
                if (hasGlob(dir.toString())) {
                    throw new Options.UsageException("only the file name may hold a wildcard: " + arg);
                }
                List<Path> matched = list(dir, p.getFileName().toString());
                if (matched.isEmpty()) {
                    throw new Options.UsageException("no file matches " + arg);
                }
                files.addAll(matched);
            }
        }
        return new ArrayList<>(files);
    }

    private static List<Path> list(Path dir, String glob) throws IOException {
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(found::add);
        }
        found.sort(null);
        return found;
    }

    private static boolean hasGlob(String s) {
        return s.contains("*") || s.contains("?") || s.contains("[");
    }
}
