package dev.escrowstack.exporter.receiver;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.CodedOutputStream;

/**
 * The body of an OTLP error answer: a google.rpc.Status {code, message}, in the request's encoding.
 * Written by hand (two fields) rather than pulling in the common-protos for one message.
 */
final class OtlpStatus {

    static final int INVALID_ARGUMENT = 3;
    static final int RESOURCE_EXHAUSTED = 8;
    static final int UNAVAILABLE = 14;
    static final int UNAUTHENTICATED = 16;

    private static final ObjectMapper JSON = new ObjectMapper();

    private OtlpStatus() {
    }

    static byte[] encode(int code, String message, boolean protobuf) {
        try {
            if (!protobuf) {
                return JSON.writeValueAsBytes(java.util.Map.of("code", code, "message", message));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.writeInt32(1, code);
            out.writeString(2, message);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
