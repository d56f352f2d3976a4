package dev.escrowstack.escrow.it;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;

import com.sun.net.httpserver.HttpServer;

/**
 * The collector trace-exporter forwards to, on 127.0.0.1: it takes OTLP/HTTP protobuf exports on
 * /v1/traces and answers as a collector does (200, an empty ExportTraceServiceResponse). The test
 * stops it to play a collector outage and starts it again on the same port. What it counts is only a
 * cross-check: the figures come from trace-exporter's own metrics.
 */
final class CollectorSink {

    private final int port;
    private final AtomicLong requests = new AtomicLong();
    private HttpServer server;

    CollectorSink(int port) {
        this.port = port;
    }

    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        server.createContext("/v1/traces", exchange -> {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            boolean protobuf = exchange.getRequestHeaders().getFirst("Content-Type").startsWith("application/x-protobuf");
            if (protobuf && exchange.getRequestMethod().equals("POST")) {
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
