package dev.escrowstack.exporter;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** Forwarding to a second OTLP receiver, and what happens when it is down. */
@QuarkusTest
@TestProfile(ForwardingTest.WithCollector.class)
class ForwardingTest {

    /** A second OTLP/HTTP receiver standing in for the collector; it can be switched off. */
    public static class Collector implements QuarkusTestResourceLifecycleManager {
        static final List<ExportTraceServiceRequest> RECEIVED = new CopyOnWriteArrayList<>();
        static volatile boolean down;
        private HttpServer server;

        @Override
        public Map<String, String> start() {
            try {
                server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            server.createContext("/v1/traces", x -> {
                byte[] body = x.getRequestBody().readAllBytes();
                if (down) {
                    x.sendResponseHeaders(503, -1);
                } else {
                    RECEIVED.add(ExportTraceServiceRequest.parseFrom(body));
                    x.sendResponseHeaders(200, -1);
                }
                x.close();
            });
            server.start();
            return Map.of("exporter.forward.endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                    "exporter.forward.max-attempts", "2", "exporter.forward.backoff-min", "50ms");
        }

        @Override
        public void stop() {
            server.stop(0);
        }
    }

    public static class WithCollector implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(Collector.class));
        }
    }

    @Test
    void everySpanReachesTheCollectorAndADownCollectorCostsNoFile() {
        String up = "esc-fwd-up-" + System.nanoTime();
        post(up);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Collector.RECEIVED.stream()
                .anyMatch(r -> r.toString().contains(up)));

        Collector.down = true;
        String down = "esc-fwd-down-" + System.nanoTime();
        long before = metric("exporter_forward_spans_dropped_total");
        post(down);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(Path.of("target/escrow-files/escrow_" + down + ".json")));
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> metric("exporter_forward_spans_dropped_total") > before);
        assertTrue(Collector.RECEIVED.stream().noneMatch(r -> r.toString().contains(down)));
        Collector.down = false;
    }

    private static void post(String escrowId) {
        long now = System.currentTimeMillis() * 1_000_000L;
        String json = """
                {"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"5b8efff798038103d269b633813fc60d","spanId":"eee19b7ec3c1b176",
                 "name":"monero-wallet-rpc/get_balance","kind":3,"startTimeUnixNano":"%d","endTimeUnixNano":"%d",
                 "attributes":[{"key":"escrow.id","value":{"stringValue":"%s"}},{"key":"server.port","value":{"intValue":18090}}]}]}]}]}
                """.formatted(now, now + 1_000_000L, escrowId);
        given().contentType("application/json").body(json).post("/v1/traces").then().statusCode(200);
    }

    private static long metric(String name) {
        String text = given().get("/q/metrics").then().extract().asString();
        return text.lines().filter(l -> l.startsWith(name)).map(l -> l.substring(l.lastIndexOf(' ') + 1))
                .mapToLong(v -> (long) Double.parseDouble(v)).sum();
    }
}
