package dev.escrowstack.exporter.receiver;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;

import dev.escrowstack.exporter.config.ExporterConfig;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.smallrye.common.annotation.Blocking;

/**
 * OTLP/HTTP trace receiver, as the specification asks: protobuf or JSON chosen by media type only,
 * gzip or no compression, 400 for what cannot be decoded, 413 above the decompressed limit, 415 for
 * another media type, 503 + Retry-After when the ingest queue is full, and errors as a google.rpc.Status
 * in the request's encoding. With an ingest token configured, 401 (UNAUTHENTICATED) before anything else
 * for a request without it.
 */
@Path("/v1/traces")
@Tag(name = "OTLP", description = "OTLP/HTTP traces in")
public class OtlpTracesResource {

    private static final String PROTOBUF = "application/x-protobuf";
    private static final String JSON = "application/json";

    private final SpanIntake intake;
    private final long maxBody;
    private final Optional<byte[]> expectedAuthorization;

    public OtlpTracesResource(SpanIntake intake, ExporterConfig config) {
        this.intake = intake;
        this.maxBody = config.maxBodyBytes();
        this.expectedAuthorization = config.ingestToken().filter(t -> !t.isBlank())
                .map(t -> ("Bearer " + t).getBytes(StandardCharsets.UTF_8));
    }

    @POST
    @Consumes("*/*")
    @Blocking
    @Operation(summary = "OTLP/HTTP export of traces (protobuf or JSON, optionally gzip)")
    public Response export(@HeaderParam("Content-Type") String contentType, @HeaderParam("Content-Encoding") String encoding,
            @HeaderParam("Authorization") String authorization, byte[] body) {
        String media = contentType == null ? "" : contentType.split(";")[0].trim().toLowerCase(Locale.ROOT);
        boolean protobuf = media.equals(PROTOBUF);
        if (!authorized(authorization)) {
            return Response.fromResponse(error(401, OtlpStatus.UNAUTHENTICATED, "this receiver takes spans only with its ingest token"
                    + " (Authorization: Bearer …, e.g. OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer <token>)", protobuf))
                    .header("WWW-Authenticate", "Bearer").build();
        }
        if (!protobuf && !media.equals(JSON)) {
            return error(415, OtlpStatus.INVALID_ARGUMENT, "Content-Type must be application/x-protobuf or application/json", false);
        }
        byte[] raw;
        try {
            raw = decompress(body == null ? new byte[0] : body, encoding);
        } catch (TooLarge e) {
            return error(413, OtlpStatus.RESOURCE_EXHAUSTED, "body exceeds " + maxBody + " bytes after decompression", protobuf);
        } catch (IOException e) {
            return error(400, OtlpStatus.INVALID_ARGUMENT, "cannot decompress: " + e.getMessage(), protobuf);
        }
        ExportTraceServiceRequest request;
        try {
            request = protobuf ? ExportTraceServiceRequest.parseFrom(raw) : OtlpJson.parse(raw);
        } catch (IOException | RuntimeException e) {
            // The JSON parser throws InvalidProtocolBufferException too: the body's type names the format.
            return error(400, OtlpStatus.INVALID_ARGUMENT,
                    "undecodable OTLP " + (protobuf ? "protobuf" : "JSON") + ": " + clip(e.getMessage()), protobuf);
        }
        SpanIntake.Accepted accepted = intake.offer(request, protobuf ? raw : null);
        if (accepted == null) {
            return Response.status(503).header("Retry-After", 1).type(protobuf ? PROTOBUF : JSON)
                    .entity(OtlpStatus.encode(OtlpStatus.UNAVAILABLE, "ingest queue full; retry later", protobuf)).build();
        }
        ExportTraceServiceResponse.Builder answer = ExportTraceServiceResponse.newBuilder();
        if (accepted.rejected() > 0) {
            answer.setPartialSuccess(ExportTracePartialSuccess.newBuilder().setRejectedSpans(accepted.rejected())
                    .setErrorMessage(accepted.rejected() + " spans had invalid trace or span ids and were not recorded"));
        }
        return Response.ok(encode(answer.build(), protobuf)).type(protobuf ? PROTOBUF : JSON).build();
    }

    /** Constant-time, so the answer's timing tells nothing about the token. */
    private boolean authorized(String authorization) {
        return expectedAuthorization.isEmpty() || authorization != null
                && MessageDigest.isEqual(expectedAuthorization.get(), authorization.trim().getBytes(StandardCharsets.UTF_8));
    }

    /** What the caller sent, echoed back at most 64 characters long. */
    static String clip(String text) {
        return text == null || text.length() <= 64 ? text : text.substring(0, 64) + "…";
    }

    private byte[] decompress(byte[] body, String encoding) throws IOException {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            if (body.length > maxBody) {
                throw new TooLarge();
            }
            return body;
        }
        if (!encoding.trim().equalsIgnoreCase("gzip")) {
            throw new IOException("unsupported Content-Encoding '" + clip(encoding) + "' (gzip or none)");
        }
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(body.length * 4, 1 << 20));
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            for (int n; (n = in.read(buffer)) > 0;) {
                total += n;
                if (total > maxBody) {
                    throw new TooLarge(); // a zip bomb stops here, not in memory
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static byte[] encode(ExportTraceServiceResponse response, boolean protobuf) {
        if (protobuf) {
            return response.toByteArray();
        }
        try {
            return JsonFormat.printer().print(response).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Response error(int status, int code, String message, boolean protobuf) {
        return Response.status(status).type(protobuf ? PROTOBUF : JSON).entity(OtlpStatus.encode(code, message, protobuf)).build();
    }

    private static final class TooLarge extends IOException {
        TooLarge() {
            super("too large");
        }
    }
}
