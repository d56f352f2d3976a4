package dev.escrowstack.exporter.files;

import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.exporter.config.ExporterConfig;
import dev.escrowstack.exporter.events.EscrowEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The escrows seen so far and their files. Routing marks an escrow changed; a writer rewrites each
 * changed file at most every {@code exporter.write-delay} — so a burst of spans costs one write, and
 * spans that arrive late (after the escrow's root span) simply rewrite the file again.
 */
@ApplicationScoped
public class EscrowTraces {

    private final EscrowFiles files;
    private final ExporterConfig config;
    private final Map<String, EscrowTrace> traces = new ConcurrentHashMap<>();
    private final Set<String> changed = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService writer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "escrow-file-writer");
        t.setDaemon(true);
        return t;
    });
    private final Counter writes;
    private final Counter writeFailures;

    public EscrowTraces(EscrowFiles files, ExporterConfig config, MeterRegistry registry) {
        this.files = files;
        this.config = config;
        this.writes = Counter.builder("exporter_file_writes").description("escrow_<id>.json files (re)written").register(registry);
        this.writeFailures = Counter.builder("exporter_file_write_failures").register(registry);
        registry.gauge("exporter_escrows", traces, Map::size);
        long delay = config.writeDelay().toMillis();
        writer.scheduleWithFixedDelay(this::flush, delay, delay, TimeUnit.MILLISECONDS);
    }

    /**
     * After a restart the escrows of earlier runs are read back from their files (in the background, newest
     * first, up to max-escrows), so /api/traces and the trace browser still show them.
     */
    void onStart(@Observes StartupEvent event) {
        Thread restore = new Thread(this::restore, "escrow-file-restore");
        restore.setDaemon(true);
        restore.start();
    }

    /** Loads the files of escrows not in memory; returns how many it loaded. */
    public int restore() {
        int loaded = 0;
        try {
            for (String id : files.ids(config.maxEscrows())) {
                if (!traces.containsKey(id) && traces.size() < config.maxEscrows()
                        && traces.computeIfAbsent(id, this::open).summary().eventCount() > 0) {
                    loaded++;
                } else if (traces.containsKey(id) && traces.get(id).summary().eventCount() == 0) {
                    traces.remove(id); // unreadable: left on disk, not shown
                }
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("reading the escrow files of earlier runs failed after %d: %s", loaded, e.getMessage());
        }
        if (loaded > 0) {
            Log.infof("%d escrows read back from their files in %s", loaded, files.dir());
        }
        return loaded;
    }

    public void add(String escrowId, List<EscrowEvent> events) {
        EscrowTrace trace = traces.computeIfAbsent(escrowId, this::open);
        events.forEach(trace::put);
        changed.add(escrowId);
    }

    /** First sight of an escrow since start: carry over what its file already holds. */
    private EscrowTrace open(String escrowId) {
        EscrowTrace trace = new EscrowTrace(escrowId);
        files.read(escrowId).ifPresent(old -> {
            for (int i = 0; i < old.size(); i++) {
                Map<String, Object> e = old.get(i);
                @SuppressWarnings("unchecked")
                Map<String, Object> details = (Map<String, Object>) e.getOrDefault("details", Map.of());
                trace.put(new EscrowEvent("file/" + i, (String) e.get("trace_id"), ((Number) e.get("timestamp")).longValue(),
                        (String) e.get("event_type"), (String) e.get("role"),
                        e.get("rpc_port") == null ? null : ((Number) e.get("rpc_port")).intValue(), details));
            }
        });
        evictIfFull();
        return trace;
    }

    private void evictIfFull() {
        if (traces.size() < config.maxEscrows()) {
            return;
        }
        traces.values().stream().filter(t -> !changed.contains(t.escrowId)).min(Comparator.comparingLong(EscrowTrace::lastChange))
                .ifPresent(t -> traces.remove(t.escrowId));
    }

    /** Writes every changed file now. */
    public void flush() {
        for (String id : List.copyOf(changed)) {
            changed.remove(id);
            EscrowTrace trace = traces.get(id);
            if (trace == null) {
                continue;
            }
            try {
                files.write(id, trace.sorted());
                writes.increment();
            } catch (IOException | RuntimeException e) {
                writeFailures.increment();
                changed.add(id); // try again next round
                Log.warnf("writing escrow_%s.json failed: %s", id, e.getMessage());
            }
        }
    }

    public List<EscrowTrace.Summary> list() {
        return traces.values().stream().map(EscrowTrace::summary)
                .sorted(Comparator.comparingLong(EscrowTrace.Summary::start).reversed()).toList();
    }

    public Optional<List<EscrowEvent>> events(String escrowId) {
        return Optional.ofNullable(traces.get(escrowId)).map(EscrowTrace::sorted);
    }

    /** Every escrow whose events overlap [start, end] in time: the neighbours a race (Pattern B) would show with. */
    public Map<String, List<EscrowEvent>> overlapping(long start, long end) {
        Map<String, List<EscrowEvent>> found = new java.util.LinkedHashMap<>();
        for (EscrowTrace t : traces.values()) {
            if (t.overlaps(start, end)) {
                found.put(t.escrowId, t.sorted());
            }
        }
        return found;
    }

    @PreDestroy
    void stop() {
        writer.shutdown();
        flush(); // nothing received is lost on a clean stop
    }
}
