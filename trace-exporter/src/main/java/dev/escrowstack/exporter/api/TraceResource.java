package dev.escrowstack.exporter.api;

import java.nio.file.Files;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.exporter.analysis.EscrowAnalysis;
import dev.escrowstack.exporter.events.EscrowEvent;
import dev.escrowstack.exporter.files.EscrowFiles;
import dev.escrowstack.exporter.files.EscrowTraces;
import dev.escrowstack.problem.ProblemException;

@Path("/api/traces")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Escrow traces", description = "The escrows seen and their events, as in escrow_<id>.json")
public class TraceResource {

    /** One line of the list: escrow id, status (READY, FAILED or IN_PROGRESS), start (ms), duration, event count. */
    public record TraceSummary(String escrowId, String status, long start, long durationMs, int eventCount, String file) {
    }

    private final EscrowTraces traces;
    private final EscrowFiles files;
    private final EscrowAnalysis analysis;

    public TraceResource(EscrowTraces traces, EscrowFiles files, EscrowAnalysis analysis) {
        this.traces = traces;
        this.files = files;
        this.analysis = analysis;
    }

    @GET
    @Operation(summary = "Escrows seen, newest first")
    public List<TraceSummary> list() {
        return traces.list().stream().map(s -> new TraceSummary(s.escrowId(), s.status(), s.start(), s.durationMs(), s.eventCount(),
                files.path(s.escrowId()).getFileName().toString())).toList();
    }

    @GET
    @Path("/{id}")
    @Operation(summary = "An escrow's events (the content of its escrow_<id>.json)")
    public List<Map<String, Object>> events(@PathParam("id") String id) {
        check(id);
        return traces.events(id).orElseThrow(() -> notFound(id)).stream().map(EscrowEvent::toJson).toList();
    }

    @GET
    @Path("/{id}/diagnosis")
    @Operation(summary = "The analyzer's diagnosis of an escrow: clean, or which wallet failed, in which round, the state before,"
            + " the pattern (A cache pollution, B race on a shared wallet-rpc, C state divergence) and the fix",
            description = "Diagnosed together with the escrows that ran at the same time, so a race on a shared instance shows.")
    public Map<String, Object> diagnosis(@PathParam("id") String id) {
        check(id);
        return analysis.diagnosis(id);
    }

    @GET
    @Path("/{id}/compare/{other}")
    @Operation(summary = "Compare two escrows: event-type distribution and the first divergence (the skill's --compare)")
    public Map<String, Object> compare(@PathParam("id") String id, @PathParam("other") String other) {
        check(id);
        check(other);
        return analysis.compare(id, other);
    }

    @GET
    @Path("/{id}/file")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Download escrow_<id>.json")
    public Response file(@PathParam("id") String id) {
        check(id);
        java.nio.file.Path file = files.path(id);
        if (!Files.exists(file)) {
            throw notFound(id);
        }
        return Response.ok(file.toFile()).header("Content-Disposition", "attachment; filename=\"" + file.getFileName() + "\"").build();
    }

    private static void check(String id) {
        if (!EscrowFiles.validId(id)) {
            throw ProblemException.badRequest("not an escrow id: letters, digits, '_', '-' and '.' only").with("field", "id");
        }
    }

    private static ProblemException notFound(String id) {
        return new ProblemException(404, "escrow-trace-not-found", "No such escrow trace", "no spans of escrow '" + id + "' seen")
                .with("escrow_id", id);
    }
}
