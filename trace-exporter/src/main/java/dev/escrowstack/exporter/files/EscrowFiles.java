package dev.escrowstack.exporter.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonGenerator;

import dev.escrowstack.exporter.config.ExporterConfig;
import dev.escrowstack.exporter.events.EscrowEvent;

/**
 * escrow_<id>.json files: written whole to a temporary file in the same directory, then renamed over
 * the old one, so a reader (ls, the analyzer, a browser) never sees half a file.
 */
@ApplicationScoped
public class EscrowFiles {

    /** Only these characters reach a file name: nothing can leave the output directory. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();

    public EscrowFiles(ExporterConfig config) {
        this.dir = config.outputDir().toAbsolutePath().normalize();
    }

    public static boolean validId(String id) {
        return id != null && ID.matcher(id).matches() && !id.contains("..");
    }

    public Path dir() {
        return dir;
    }

    public Path path(String escrowId) {
        if (!validId(escrowId)) {
            throw new IllegalArgumentException("invalid escrow id");
        }
        return dir.resolve("escrow_" + escrowId + ".json");
    }

    public void write(String escrowId, List<EscrowEvent> events) throws IOException {
        Files.createDirectories(dir);
        Path target = path(escrowId);
        Path tmp = Files.createTempFile(dir, ".escrow_" + escrowId + ".", ".tmp");
        try {
            // Streamed and compact: cheap at ingest rates; `python3 -m json.tool` pretty-prints it.
            try (var out = new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 64 * 1024);
                    JsonGenerator g = json.getFactory().createGenerator(out)) {
                g.writeStartArray();
                for (EscrowEvent e : events) {
                    e.write(g);
                }
                g.writeEndArray();
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The escrow ids of the files in the directory, newest file first, at most {@code max}. */
    public List<String> ids(int max) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.startsWith("escrow_") && n.endsWith(".json"))
                    .map(n -> n.substring("escrow_".length(), n.length() - ".json".length())).filter(EscrowFiles::validId)
                    .sorted(java.util.Comparator.comparingLong((String id) -> path(id).toFile().lastModified()).reversed())
                    .limit(max).toList();
        }
    }

    /** A file written before a restart: its events, so late spans extend it instead of replacing it. */
    @SuppressWarnings("unchecked")
    public Optional<List<Map<String, Object>>> read(String escrowId) {
        Path file = path(escrowId);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), List.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
