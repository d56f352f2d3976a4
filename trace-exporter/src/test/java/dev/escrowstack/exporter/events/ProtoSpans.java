package dev.escrowstack.exporter.events;

import java.util.List;

import com.google.protobuf.ByteString;

import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;

/** OTLP spans by hand, as the receiver decodes them, for tests of {@link SpanEvents} without a server. */
final class ProtoSpans {

    static final long T0 = 1_795_717_745_000L * 1_000_000L;

    private ProtoSpans() {
    }

    /** A span of {@code name} from T0 + startMs to T0 + endMs; ids from {@code n}, so each test span is distinct. */
    static Span.Builder span(int n, String name, long startMs, long endMs, KeyValue... attributes) {
        return Span.newBuilder().setName(name)
                .setTraceId(ByteString.copyFrom(new byte[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 }))
                .setSpanId(ByteString.copyFrom(new byte[] { 0, 0, 0, 0, 0, 0, 0, (byte) n }))
                .setStartTimeUnixNano(T0 + startMs * 1_000_000L).setEndTimeUnixNano(T0 + endMs * 1_000_000L)
                .addAllAttributes(List.of(attributes));
    }

    static Span.Builder failed(Span.Builder span, String message) {
        return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage(message));
    }

    static Span.Event event(String name, long atMs, KeyValue... attributes) {
        return Span.Event.newBuilder().setName(name).setTimeUnixNano(T0 + atMs * 1_000_000L).addAllAttributes(List.of(attributes)).build();
    }

    static KeyValue kv(String key, Object value) {
        return KeyValue.newBuilder().setKey(key).setValue(any(value)).build();
    }

    private static AnyValue any(Object v) {
        AnyValue.Builder b = AnyValue.newBuilder();
        if (v instanceof String s) {
            b.setStringValue(s);
        } else if (v instanceof Boolean x) {
            b.setBoolValue(x);
        } else if (v instanceof Number x) {
            b.setIntValue(x.longValue());
        } else if (v instanceof List<?> l) {
            b.setArrayValue(ArrayValue.newBuilder().addAllValues(l.stream().map(ProtoSpans::any).toList()));
        } else {
            throw new IllegalArgumentException(String.valueOf(v));
        }
        return b.build();
    }
}
