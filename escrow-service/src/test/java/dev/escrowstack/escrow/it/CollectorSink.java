package dev.escrowstack.escrow.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpServer;

/**
 * The collector trace-exporter forwards to, on 127.0.0.1: it takes OTLP/HTTP protobuf exports on
 * /v1/traces and answers as a collector does (200, an empty ExportTraceServiceResponse). The test
 * stops it to play a collector outage and starts it again on the same port. It appends every span it
 * gets, as the protobuf bytes, to a file, so that the secrets scan reads what Jaeger would store. What it
 * counts is only a cross-check: the figures come from trace-exporter's own metrics.
 */
final class CollectorSink {

    private final int port;
    private final Path spans;
    private final AtomicLong requests = new AtomicLong();
    private HttpServer server;

    /** {@code spans}: the file every export is appended to. */
    CollectorSink(int port, Path spans) {
        this.port = port;
        this.spans = spans;
    }

    /** On a free port of 127.0.0.1. */
    static CollectorSink onFreePort(Path spans) throws IOException {
        try (ServerSocket free = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return new CollectorSink(free.getLocalPort(), spans);
        }
    }

    void start() throws IOException {
        Files.createDirectories(spans.getParent());
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/v1/traces", exchange -> {
            byte[] body;
            boolean gzip = "gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"));
            try (InputStream in = gzip ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null && type.startsWith("application/x-protobuf") && exchange.getRequestMethod().equals("POST")) {
                synchronized (this) {
                    Files.write(spans, body, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                }
                requests.incrementAndGet();
                exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, -1);
            } else {
                exchange.sendResponseHeaders(415, -1);
            }
            exchange.close();
        });
        server.start();
    }

    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    long requests() {
        return requests.get();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port;
    }
}
