package dev.escrowstack.exporter;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URL;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import dev.escrowstack.telemetry.EscrowAttributes;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;

/** With EXPORTER_INGEST_TOKEN set, spans come in only with it: the SDK exporter sends it as a header. */
@QuarkusTest
@TestProfile(IngestTokenTest.WithToken.class)
class IngestTokenTest {

    static final String TOKEN = "ingest-token-for-the-test";

    public static class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("exporter.ingest-token", TOKEN);
        }
    }

    @TestHTTPResource("/v1/traces")
    URL endpoint;

    @Test
    void withoutTheTokenA401InTheRequestsEncodingWithIt200() {
        given().contentType("application/json").body("{}").post("/v1/traces").then().statusCode(401)
                .header("WWW-Authenticate", "Bearer").body("code", is(16)).body("message", not(containsString(TOKEN)));
        given().contentType("application/x-protobuf").body(new byte[0]).post("/v1/traces").then().statusCode(401)
                .contentType("application/x-protobuf");
        given().contentType("application/json").header("Authorization", "Bearer wrong").body("{}").post("/v1/traces").then()
                .statusCode(401);
        given().contentType("application/json").header("Authorization", TOKEN).body("{}").post("/v1/traces").then().statusCode(401);
        given().contentType("application/json").header("Authorization", "Bearer " + TOKEN).body("{}").post("/v1/traces").then()
                .statusCode(200);
        // The browser and its API stay open to read (they hold no secret, only hashes).
        given().get("/api/traces").then().statusCode(200);
    }

    @Test
    void theSdkExporterWithTheHeaderGetsIn() {
        assertTrue(export(Map.of("Authorization", "Bearer " + TOKEN)).isSuccess());
        assertFalse(export(Map.of()).isSuccess());
    }

    /** One span through the real SDK exporter; the export's own result (the processor's flush hides a failed one). */
    private CompletableResultCode export(Map<String, String> headers) {
        var builder = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString());
        headers.forEach(builder::addHeader);
        OtlpHttpSpanExporter exporter = builder.build();
        AtomicReference<CompletableResultCode> result = new AtomicReference<>();
        SpanExporter recording = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                result.set(exporter.export(spans));
                return result.get();
            }

            @Override
            public CompletableResultCode flush() {
                return exporter.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return exporter.shutdown();
            }
        };
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(recording)).build();
        provider.get("test").spanBuilder(SpanNames.ESCROW_INIT).setAttribute(EscrowAttributes.ESCROW_ID, "esc-token-" + System.nanoTime())
                .startSpan().end();
        provider.forceFlush().join(10, TimeUnit.SECONDS);
        provider.shutdown().join(10, TimeUnit.SECONDS);
        return result.get().join(10, TimeUnit.SECONDS);
    }
}
