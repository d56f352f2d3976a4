package dev.escrowstack.party.trace;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * OTLP/HTTP with the JSON encoding (the protocol's own, accepted by the OpenTelemetry Collector, Jaeger and this stack's
 * trace-exporter): a few spans per run need no SDK. Headers (e.g. an ingest token) go on the request only, never into a
 * span or a message.
 */
public final class OtlpExporter {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int SPAN_KIND_CLIENT = 3;
    private static final int STATUS_ERROR = 2;

    private final URI endpoint;
    private final Map<String, String> headers;
    private final PrintStream warnings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public OtlpExporter(URI endpoint, Map<String, String> headers, PrintStream warnings) {
        this.endpoint = endpoint;
        this.headers = Map.copyOf(headers);
        this.warnings = warnings;
    }

    void export(List<Tracer.Span> spans) {
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(spans).toString()));
        headers.forEach(request::header);
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 != 2) {
                warnings.println("warning: " + endpoint + " refused " + spans.size() + " spans: HTTP " + response.statusCode());
            }
        } catch (IOException e) {
            warnings.println("warning: could not export " + spans.size() + " spans to " + endpoint + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static ObjectNode body(List<Tracer.Span> spans) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode resourceSpans = root.putArray("resourceSpans").addObject();
        attributes(resourceSpans.putObject("resource").putArray("attributes"), Map.of("service.name", "escrow-party"));
        ObjectNode scopeSpans = resourceSpans.putArray("scopeSpans").addObject();
        scopeSpans.putObject("scope").put("name", "dev.escrowstack.party");
        ArrayNode out = scopeSpans.putArray("spans");
        for (Tracer.Span span : spans) {
            ObjectNode s = out.addObject().put("traceId", span.traceId).put("spanId", span.spanId).put("name", span.name)
                    .put("kind", SPAN_KIND_CLIENT)
                    .put("startTimeUnixNano", Long.toString(span.startNanos))
                    .put("endTimeUnixNano", Long.toString(span.endNanos));
            ArrayNode attributes = s.putArray("attributes");
            attributes(attributes, span.attributes);
            if (span.errorType != null) {
                attributes(attributes, Map.of("error.type", span.errorType));
                s.putObject("status").put("code", STATUS_ERROR).put("message", span.errorMessage);
            }
        }
        return root;
    }

    private static void attributes(ArrayNode into, Map<String, Object> attributes) {
        attributes.forEach((key, value) -> {
            ObjectNode v = into.addObject().put("key", key).putObject("value");
            if (value instanceof Long || value instanceof Integer) {
                v.put("intValue", value.toString()); // OTLP JSON: 64-bit integers as strings
            } else {
                v.put("stringValue", value.toString());
            }
        });
    }
}
