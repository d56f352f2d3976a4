package dev.escrowstack.exporter.forward;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.exporter.config.ExporterConfig;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;

/**
 * Forwards every request received, as OTLP/HTTP protobuf, to the configured collector (or Jaeger)
 * through its own bounded queue, with retry and exponential backoff on what OTLP calls retryable
 * (429, 502, 503, 504, no connection), honouring Retry-After. A full queue drops — counted, and logged
 * at most every 10 s — and never blocks ingest or file writing.
 */
@ApplicationScoped
public class Forwarder {

    private record Batch(byte[] body, int spans) {
    }

    private final Optional<URI> endpoint;
    private final ExporterConfig.Forward config;
    private final BlockingQueue<Batch> queue;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final Counter sent;
    private final Counter dropped;
    private final AtomicLong droppedSinceLog = new AtomicLong();
    private volatile long lastDropLog;
    private final Thread sender;

    public Forwarder(ExporterConfig config, MeterRegistry registry) {
        this.config = config.forward();
        this.endpoint = this.config.endpoint().filter(s -> !s.isBlank())
                .map(e -> URI.create(e.endsWith("/v1/traces") ? e : e.replaceAll("/+$", "") + "/v1/traces"));
        this.queue = new ArrayBlockingQueue<>(this.config.queue());
        this.sent = Counter.builder("exporter_forward_spans_sent").register(registry);
        this.dropped = Counter.builder("exporter_forward_spans_dropped")
                .description("spans not forwarded: queue full, or the collector kept failing").register(registry);
        registry.gauge("exporter_forward_queue", queue, BlockingQueue::size);
        this.sender = new Thread(this::send, "otlp-forwarder");
        sender.setDaemon(true);
        if (endpoint.isPresent()) {
            Log.infof("forwarding every span to %s", endpoint.get());
            sender.start();
        }
    }

    public void enqueue(byte[] protobuf, int spans) {
        if (endpoint.isEmpty() || spans == 0) {
            return;
        }
        if (!queue.offer(new Batch(protobuf, spans))) {
            drop(spans, "forward queue full");
        }
    }

    private void send() {
        while (!Thread.currentThread().isInterrupted()) {
            Batch batch;
            try {
                batch = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            deliver(batch);
        }
    }

    private void deliver(Batch batch) {
        long backoff = config.backoffMin().toMillis();
        String last = "";
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(endpoint.get()).timeout(config.timeout())
                        .header("Content-Type", "application/x-protobuf").POST(HttpRequest.BodyPublishers.ofByteArray(batch.body()))
                        .build(), HttpResponse.BodyHandlers.discarding());
                int status = r.statusCode();
                if (status >= 200 && status < 300) {
                    sent.increment(batch.spans());
                    return;
                }
                last = "HTTP " + status;
                if (status != 429 && status != 502 && status != 503 && status != 504) {
                    break; // the collector refused it for good
                }
                backoff = Math.max(backoff, r.headers().firstValue("Retry-After").map(Forwarder::seconds).orElse(0L));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                last = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(config.backoffMax().toMillis(), backoff * 2);
        }
        drop(batch.spans(), "collector failed: " + last);
    }

    private static long seconds(String retryAfter) {
        try {
            return Long.parseLong(retryAfter.trim()) * 1000;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void drop(int spans, String why) {
        dropped.increment(spans);
        long pending = droppedSinceLog.addAndGet(spans);
        long now = System.currentTimeMillis();
        if (now - lastDropLog > 10_000) {
            lastDropLog = now;
            droppedSinceLog.addAndGet(-pending);
            Log.warnf("dropped %d spans for %s (%s); escrow files are unaffected", pending, endpoint.orElse(null), why);
        }
    }

    @PreDestroy
    void stop() {
        sender.interrupt();
    }
}
