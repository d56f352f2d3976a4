package dev.escrowstack.exporter.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** trace-exporter settings (environment: {@code EXPORTER_OUTPUT_DIR=…}). */
@ConfigMapping(prefix = "exporter")
public interface ExporterConfig {

    /** Where escrow_<id>.json files go; the launcher passes the directory ./stack up was run from. */
    @WithDefault(".")
    Path outputDir();

    /** Largest request body after decompression (OTLP: 413 above it). */
    @WithDefault("20971520")
    long maxBodyBytes();

    /**
     * Spans decoded but not yet routed; beyond it the receiver answers 503 with Retry-After. Counted in
     * spans, not requests, because a decoded span costs about 1 KiB of heap whatever the batch size:
     * the default keeps the queue under ~64 MiB.
     */
    @WithDefault("65536")
    int ingestQueueSpans();

    /** How long the writer gathers changes before it rewrites a file. */
    @WithDefault("250ms")
    Duration writeDelay();

    /** Escrows kept in memory (their files are on disk either way); the oldest finished ones go first. */
    @WithDefault("10000")
    int maxEscrows();

    /**
     * The bearer token OTLP producers must present ({@code EXPORTER_INGEST_TOKEN}; the services send it with
     * {@code OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer <token>}). Unset: anyone who reaches the port may
     * send spans (the launcher and the manifests always set it).
     */
    Optional<String> ingestToken();

    /**
     * The service ({@code service.name} of the resource) whose spans may state an escrow's status: escrow.init,
     * payout, funding, dispute and round spans from any other producer are forwarded but make no event.
     */
    @WithDefault("escrow-service")
    String escrowOwner();

    Forward forward();

    /**
     * Jaeger's web UI as the user's browser reaches it, for the trace browser's Jaeger links
     * ({@code EXPORTER_JAEGER_UI_URL}, or {@code JAEGER_UI_URL} as before). Unset: no Jaeger links, since the
     * stack runs no Jaeger and a link to one nobody runs only leads nowhere.
     */
    Optional<String> jaegerUiUrl();

    interface Forward {
        /** OTLP/HTTP endpoint of a collector or Jaeger, e.g. http://127.0.0.1:4319; unset: no forwarding. */
        Optional<String> endpoint();

        /** Requests waiting to be forwarded; beyond it spans are dropped (and counted), never blocking ingest. */
        @WithDefault("2000")
        int queue();

        @WithDefault("6")
        int maxAttempts();

        @WithDefault("200ms")
        Duration backoffMin();

        @WithDefault("10s")
        Duration backoffMax();

        @WithDefault("10s")
        Duration timeout();
    }
}
