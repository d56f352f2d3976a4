package dev.escrowstack.exporter;

import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.analyzer.diagnosis.Calls;
import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Pattern;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.analyzer.model.EventReader;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.testsupport.SkillFormat;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A file the exporter writes from spans, read by a STRICT reader of the skill's format ({@link SkillFormat}, written
 * from the format's field list alone; SkillWorkflowIT reads the files of a whole stack with it too), with every
 * event type in it: FILE_OPERATION and CUSTOM included.
 * The spans are what escrow-service and the gateway send for a Pattern A setup, the failing call with only the
 * current RPC names (OTEL_SEMCONV_STABILITY_OPT_IN=rpc).
 */
@QuarkusTest
class SkillFormatReaderTest {

    @TestHTTPResource("/v1/traces")
    URL endpoint;

    @Test
    void aStrictReaderOfTheSkillsFormatReadsTheFileAndSoDoesTheAnalyzer() throws Exception {
        String id = "esc-strict-" + System.nanoTime();
        emit(id);
        Path file = OtlpReceiverTest.FILES.resolve("escrow_" + id + ".json");
        ObjectMapper json = new ObjectMapper();
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file)
                && json.readTree(file.toFile()).toString().contains(EventTypes.ERROR_FINAL)
                && json.readTree(file.toFile()).toString().contains(EventTypes.LEASE_RELEASED));
        JsonNode events = json.readTree(file.toFile());

        List<String> lines = SkillFormat.readStrictly(events);

        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.get("event_type").asText()));
        assertTrue(types.containsAll(List.of(EventTypes.STATE_CHANGE, EventTypes.LEASE_ACQUIRED, EventTypes.FILE_OPERATION, EventTypes.CUSTOM,
                EventTypes.SNAPSHOT_PRE_ROUND1, EventTypes.CACHE_POLLUTION_DETECTED, EventTypes.RPC_CALL_START, EventTypes.RPC_CALL_END,
                EventTypes.RPC_CALL_ERROR, EventTypes.ERROR_FINAL, EventTypes.LEASE_RELEASED)), types.toString());
        assertTrue(lines.contains("[STATE_CHANGE] role=COORDINATOR "), lines.toString());
        assertTrue(lines.contains("[FILE_OPERATION] role=BUYER open"), lines.toString());
        JsonNode error = find(events, EventTypes.RPC_CALL_ERROR);
        assertEquals(-28, error.path("details").path("error_code").asInt(), "rpc.status_code read as the error code");
        assertEquals("This wallet is already multisig", error.path("details").path("error").asText());

        // The analyzer reads the same file: coordinator is no wallet, and file operations are no wallet RPC calls.
        EscrowFile read = EventReader.read(file);
        assertTrue(read.events().stream().filter(e -> e.is(EventTypes.STATE_CHANGE)).allMatch(e -> e.role() == null));
        assertEquals(2, Calls.of(read).size(), "prepare_multisig and make_multisig; FILE_OPERATION and CUSTOM are no RPC calls");
        assertEquals(Pattern.A, Diagnoser.diagnose(read).primary().pattern());
        assertTrue(read.events().stream().map(Event::type).anyMatch(EventTypes.FILE_OPERATION::equals));
    }

    private static JsonNode find(JsonNode events, String type) {
        for (JsonNode e : events) {
            if (e.get("event_type").asText().equals(type)) {
                return e;
            }
        }
        throw new AssertionError("no " + type);
    }

    /** A Pattern A setup as the two services trace it: escrow-service's spans, and the gateway's (lease, file, calls). */
    private void emit(String id) throws Exception {
        SdkTracerProvider service = provider("escrow-service");
        SdkTracerProvider gateway = provider("wallet-gateway");
        Tracer escrow = service.get("test");
        Tracer walletGateway = gateway.get("test");
        Span init = escrow.spanBuilder(SpanNames.ESCROW_INIT).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_BUYER_ID, "buyer1")
                .setAttribute(ESCROW_VENDOR_ID, "vendor1").setAttribute(ESCROW_AMOUNT, 1_000_000L).startSpan();
        try (Scope s = init.makeCurrent()) {
            walletGateway.spanBuilder(SpanNames.LEASE_ACQUIRE).setAttribute(ESCROW_ID, id).setAttribute(LEASE_ID, "l-1")
                    .setAttribute(LEASE_FENCING_TOKEN, 1L).setAttribute(LEASE_WAIT_MS, 3L).setAttribute(LEASE_OUTCOME, "granted").startSpan().end();
            walletGateway.spanBuilder(SpanNames.WALLET_FILE).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_ROLE, "buyer")
                    .setAttribute(LEASE_ID, "l-1").setAttribute(WALLET_ID, "w-used").setAttribute(WALLET_PROCESS, 0L)
                    .setAttribute(SERVER_PORT, 18082L).setAttribute(WALLET_FILE_OPERATION, "open").setAttribute(WALLET_FILE_PERMS, "600")
                    .startSpan().end();
            Span round = escrow.spanBuilder(SpanNames.ESCROW_ROUND).setAttribute(ESCROW_ID, id).setAttribute(ESCROW_ROUND, 1L)
                    .setAttribute(ESCROW_OPERATION, "prepare_multisig").startSpan();
            try (Scope r = round.makeCurrent()) {
                round.addEvent(EventTypes.CUSTOM, Attributes.builder().put("name", "fault_injected").put("fault", "cache-pollution")
                        .put("wallet_id", "w-used").put("source_escrow_id", "esc-earlier").build());
                Attributes snapshot = Attributes.builder().put("wallet_id", "w-used").put("role", "buyer").put("rpc_port", 18082L)
                        .put("is_multisig", true).put("ready", true).put("threshold", 2L).put("total", 3L)
                        .put(AttributeKey.longArrayKey("balance"), List.of(0L, 0L)).put("address", "5abc").put("address_hash", "9b1c")
                        .put("file_exists", true).put("collection_time_ms", 12L).put("file_perms", "600").put("open_wallets_count", 1L).build();
                round.addEvent(EventTypes.SNAPSHOT_PRE_ROUND1, snapshot);
                round.addEvent(EventTypes.CACHE_POLLUTION_DETECTED, snapshot.toBuilder()
                        .put("reason", "wallet w-used on port 18082 is already multisig before prepare_multisig").build());
                walletGateway.spanBuilder(SpanNames.walletRpc("prepare_multisig")).setSpanKind(SpanKind.CLIENT).setAttribute(ESCROW_ID, id)
                        .setAttribute(ESCROW_ROLE, "vendor").setAttribute(RPC_METHOD, "prepare_multisig").setAttribute(SERVER_PORT, 18083L)
                        .setAttribute(RPC_SYSTEM, "jsonrpc").setAttribute(RPC_SYSTEM_NAME, "jsonrpc").setAttribute(JSONRPC_REQUEST_ID, "1")
                        .startSpan().end();
                Span bad = walletGateway.spanBuilder(SpanNames.walletRpc("make_multisig")).setSpanKind(SpanKind.CLIENT)
                        .setAttribute(ESCROW_ID, id).setAttribute(ESCROW_ROLE, "buyer").setAttribute(RPC_METHOD, "make_multisig")
                        .setAttribute(SERVER_PORT, 18082L).setAttribute(WALLET_ID, "w-used").setAttribute(ESCROW_ROUND, 1L)
                        .setAttribute(RPC_SYSTEM_NAME, "jsonrpc").setAttribute(JSONRPC_PROTOCOL_VERSION, "2.0").setAttribute(JSONRPC_REQUEST_ID, "2")
                        .setAttribute(RPC_STATUS_CODE, "-28").setAttribute(ERROR_TYPE, "-28").startSpan();
                bad.setStatus(StatusCode.ERROR, "This wallet is already multisig");
                bad.end();
            } finally {
                round.end();
            }
            walletGateway.spanBuilder(SpanNames.LEASE_RELEASE).setAttribute(ESCROW_ID, id).setAttribute(LEASE_ID, "l-1").startSpan().end();
            init.setAttribute(ESCROW_STATUS, "FAILED").setAttribute(ESCROW_ROLE, "buyer").setAttribute(ESCROW_ROUND, 1L)
                    .setAttribute(ESCROW_OPERATION, "make_multisig");
            init.setStatus(StatusCode.ERROR, "make_multisig: the buyer wallet refused make_multisig: already multisig");
        } finally {
            init.end();
        }
        for (SdkTracerProvider p : List.of(service, gateway)) {
            p.forceFlush().join(10, TimeUnit.SECONDS);
            p.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private SdkTracerProvider provider(String serviceName) {
        OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder().setEndpoint(endpoint.toString()).setTimeout(Duration.ofSeconds(10)).build();
        return SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter))
                .setResource(Resource.getDefault().merge(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), serviceName))))
                .build();
    }
}
