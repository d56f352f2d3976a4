import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

import com.google.protobuf.ByteString;
import com.sun.net.httpserver.HttpServer;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * OTLP/HTTP protobuf load, shaped like escrow spans (wallet-rpc CLIENT spans with the escrow
 * attributes, some with snapshot events). Run by bench/ingest_bench.sh.
 *   java IngestBench.java load URL SECONDS THREADS SPANS_PER_REQUEST
 *   java IngestBench.java sink PORT      (the baseline: accepts and discards)
 */
public class IngestBench {

    public static void main(String[] args) throws Exception {
        if (args[0].equals("sink")) {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[1])), 512);
            server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
            server.createContext("/v1/traces", x -> {
                x.getRequestBody().readAllBytes();
                x.sendResponseHeaders(200, -1);
                x.close();
            });
            server.start();
            return;
        }
        URI url = URI.create(args[1]);
        long seconds = Long.parseLong(args[2]);
        int threads = Integer.parseInt(args[3]);
        int perRequest = Integer.parseInt(args[4]);
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            bodies.add(batch(i, perRequest).toByteArray());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        AtomicLong spans = new AtomicLong();
        AtomicLong refused = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Thread> workers = new ArrayList<>();
        long started = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            Thread w = new Thread(() -> {
                int n = ThreadLocalRandom.current().nextInt(bodies.size());
                while (System.nanoTime() < end) {
                    byte[] body = bodies.get(n++ % bodies.size());
                    try {
                        int status = http.send(HttpRequest.newBuilder(url).header("Content-Type", "application/x-protobuf")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.discarding())
                                .statusCode();
                        if (status == 200) {
                            spans.addAndGet(perRequest);
                        } else {
                            refused.incrementAndGet();
                        }
                    } catch (Exception e) {
                        refused.incrementAndGet();
                    }
                }
            });
            w.start();
            workers.add(w);
        }
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        System.out.printf("{\"spans\": %d, \"seconds\": %.2f, \"spans_per_s\": %.0f, \"refused_requests\": %d}%n", spans.get(), elapsed,
                spans.get() / elapsed, refused.get());
    }

    static ExportTraceServiceRequest batch(int seed, int count) {
        ScopeSpans.Builder scope = ScopeSpans.newBuilder();
        String[] methods = { "prepare_multisig", "make_multisig", "exchange_multisig_keys", "is_multisig", "get_balance", "get_address" };
        String[] roles = { "buyer", "vendor", "arbiter" };
        long now = System.currentTimeMillis() * 1_000_000L;
        for (int i = 0; i < count; i++) {
            int escrow = seed * 1000 + i / 24; // ~24 calls per escrow, like a setup
            String method = methods[i % methods.length];
            Span.Builder span = Span.newBuilder()
                    .setTraceId(ByteString.copyFrom(bytes(16, escrow))).setSpanId(ByteString.copyFrom(bytes(8, seed * 100_000 + i)))
                    .setName("monero-wallet-rpc/" + method).setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .setStartTimeUnixNano(now + i * 1_000_000L).setEndTimeUnixNano(now + i * 1_000_000L + 750_000L)
                    .addAttributes(kv("escrow.id", "esc-bench-" + escrow)).addAttributes(kv("escrow.role", roles[i % 3]))
                    .addAttributes(kv("rpc.system", "jsonrpc")).addAttributes(kv("rpc.method", method))
                    .addAttributes(kv("lease.id", "l-" + escrow)).addAttributes(kv("wallet.id", "w-" + escrow + "-" + roles[i % 3]))
                    .addAttributes(KeyValue.newBuilder().setKey("server.port").setValue(AnyValue.newBuilder().setIntValue(18082 + i % 9)));
            if (i % 8 == 0) {
                span.addEvents(Span.Event.newBuilder().setName("SNAPSHOT_PRE_ROUND1").setTimeUnixNano(now)
                        .addAttributes(kv("role", roles[i % 3])).addAttributes(kv("address_hash", "ab".repeat(32))));
            }
            scope.addSpans(span);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(scope)).build();
    }

    static KeyValue kv(String k, String v) {
        return KeyValue.newBuilder().setKey(k).setValue(AnyValue.newBuilder().setStringValue(v)).build();
    }

    static byte[] bytes(int n, long v) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[n - 1 - i] = (byte) (v >>> (8 * (i % 8)));
        }
        b[0] |= 1; // never all zero (an invalid id)
        return b;
    }
}
