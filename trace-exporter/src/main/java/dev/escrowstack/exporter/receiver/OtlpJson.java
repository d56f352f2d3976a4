package dev.escrowstack.exporter.receiver;

import java.io.IOException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.util.JsonFormat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;

/**
 * OTLP/JSON to the official protobuf classes. OTLP/JSON is proto3 JSON with one exception: trace and
 * span ids are hex, not base64. They are re-encoded before the protobuf JSON parser (which also takes
 * int64 as string or number, enums as integers, and ignores unknown fields) does the rest.
 */
final class OtlpJson {

    private static final Set<String> ID_FIELDS = Set.of("traceId", "spanId", "parentSpanId", "trace_id", "span_id",
            "parent_span_id");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser().ignoringUnknownFields();

    private OtlpJson() {
    }

    static ExportTraceServiceRequest parse(byte[] body) throws IOException {
        JsonNode tree = JSON.readTree(body);
        if (tree == null || !tree.isObject()) {
            throw new IOException("an OTLP/JSON body is a JSON object");
        }
        hexIdsToBase64(tree);
        ExportTraceServiceRequest.Builder builder = ExportTraceServiceRequest.newBuilder();
        PARSER.merge(JSON.writeValueAsString(tree), builder);
        return builder.build();
    }

    private static void hexIdsToBase64(JsonNode node) throws IOException {
        if (node.isObject()) {
            ObjectNode object = (ObjectNode) node;
            Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                if (ID_FIELDS.contains(field.getKey()) && field.getValue().isTextual()) {
                    field.setValue(new TextNode(Base64.getEncoder().encodeToString(hex(field.getValue().asText()))));
                } else {
                    hexIdsToBase64(field.getValue());
                }
            }
        } else if (node.isArray()) {
            for (JsonNode child : node) {
                hexIdsToBase64(child);
            }
        }
    }

    private static byte[] hex(String id) throws IOException {
        try {
            return HexFormat.of().parseHex(id.toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IOException("trace and span ids in OTLP/JSON are hex strings: '" + id + "' is not", e);
        }
    }
}
