package dev.escrowstack.testsupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;

/**
 * Spans of a @QuarkusTest run land here instead of an OTLP endpoint: Quarkus' OpenTelemetry extension
 * exports to every {@code SpanExporter} bean, and tests inject this one to read what was recorded.
 */
@ApplicationScoped
public class InMemorySpans {

    @Produces
    @Singleton
    InMemorySpanExporter exporter() {
        return InMemorySpanExporter.create();
    }
}
