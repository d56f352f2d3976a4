package dev.escrowstack.exporter.browser;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.exporter.config.ExporterConfig;

/**
 * The trace browser is static pages (META-INF/resources: index.html, escrow.html, compare.html,
 * overlap.html) over /api/traces. The one thing they cannot know by themselves is where Jaeger is, if
 * anywhere.
 */
@Path("/api/ui/config")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Trace browser", description = "Settings of the web pages at trace-exporter's root")
public class BrowserResource {

    /** {@code jaegerUrl}: null when no Jaeger UI is configured, and then the pages link to none. */
    public record BrowserConfig(String jaegerUrl) {
    }

    private final ExporterConfig config;

    public BrowserResource(ExporterConfig config) {
        this.config = config;
    }

    @GET
    @Operation(summary = "Where the pages link to: Jaeger's web UI (exporter.jaeger-ui-url), null when none is configured")
    public BrowserConfig config() {
        return new BrowserConfig(config.jaegerUiUrl().map(String::strip).filter(url -> !url.isEmpty()).orElse(null));
    }
}
