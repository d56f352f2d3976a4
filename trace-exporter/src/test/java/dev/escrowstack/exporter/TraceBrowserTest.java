package dev.escrowstack.exporter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.escrowstack.exporter.files.EscrowFiles;
import dev.escrowstack.exporter.files.EscrowTraces;
import io.quarkus.test.junit.QuarkusTest;

/** The trace browser's server side: its pages, its settings, and escrows of earlier runs read back. */
@QuarkusTest
class TraceBrowserTest {

    private static final Path PATTERN_B = Path.of("../analyzer/src/test/resources/recorded/pattern-b");
    private static final Path CLEAN = Path.of("../analyzer/src/test/resources/recorded/clean/escrow_esc-255c5f5fa3cb5bba7bb2.json");

    @Inject
    EscrowTraces traces;
    @Inject
    EscrowFiles files;

    @Test
    void thePagesAndWhereJaegerIsAreServed() {
        given().get("/").then().statusCode(200).contentType(containsString("text/html")).body(containsString("ui/list.js"));
        for (String page : List.of("escrow.html", "compare.html", "overlap.html", "ui/common.js", "ui/timeline.js", "ui/lanes.js",
                "ui/style.css")) {
            given().get("/" + page).then().statusCode(200);
        }
        given().get("/api/ui/config").then().statusCode(200).body("jaeger_url", is("http://127.0.0.1:16686"));
    }

    @Test
    void escrowFilesOfAnEarlierRunAreReadBackAndDiagnosedTogether() throws Exception {
        // Recorded files under new ids (ids inside them too), as an earlier run would have left them.
        String suffix = "-r" + System.nanoTime();
        List<Path> recorded = new java.util.ArrayList<>();
        try (var list = Files.list(PATTERN_B)) {
            recorded.addAll(list.sorted().toList());
        }
        recorded.add(CLEAN);
        List<String> oldIds = recorded.stream().map(TraceBrowserTest::idOf).toList();
        Files.createDirectories(files.dir());
        for (Path file : recorded) {
            String text = Files.readString(file);
            for (String old : oldIds) {
                text = text.replace(old, old + suffix);
            }
            Files.writeString(files.dir().resolve("escrow_" + idOf(file) + suffix + ".json"), text);
        }
        Files.writeString(files.dir().resolve("escrow_esc-unreadable" + suffix + ".json"), "{ not json");

        assertEquals(recorded.size(), traces.restore(), "every readable file is read back");
        String id = oldIds.get(0) + suffix;
        given().get("/api/traces").then().statusCode(200)
                .body("find { it.escrow_id == '" + id + "' }.status", is("FAILED"))
                .body("find { it.escrow_id == '" + id + "' }.event_count", is(70))
                .body("find { it.escrow_id == '" + idOf(CLEAN) + suffix + "' }.status", is("READY"))
                .body("escrow_id", not(hasItem("esc-unreadable" + suffix)));
        // The three ran at once on one wallet-rpc: read back together, the race still shows.
        given().get("/api/traces/" + id + "/diagnosis").then().statusCode(200).body("diagnosis.findings[0].pattern", is("B"));
        assertEquals(0, traces.restore(), "nothing is read twice");
    }

    private static String idOf(Path file) {
        return file.getFileName().toString().replaceAll("^escrow_|\\.json$", "");
    }
}
