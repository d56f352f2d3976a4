package dev.escrowstack.gateway.rest;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.health.PoolHealthChecks;
import dev.escrowstack.gateway.lease.FencingAudit;
import dev.escrowstack.gateway.lease.FencingLedger;
import dev.escrowstack.gateway.lease.LeaseManager;
import dev.escrowstack.gateway.lease.SpareKeeper;
import dev.escrowstack.gateway.process.ProcessPool;
import dev.escrowstack.gateway.process.WalletProcess;

@Path("/v1/pool")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Pool", description = "The wallet-rpc processes, for operators")
@SecurityRequirement(name = "bearer")
public class PoolResource {

    public record ProcessView(int index, int port, long pid, String health, String leaseId, String openWallet, int restarts,
            String lastFailure) {
    }

    /**
     * {@code spares}: every spare wallet, open or stored; {@code warm_spares} of {@code spares_target}: those open in an
     * idle process, which a lease adopts without waiting for create_wallet or open_wallet.
     */
    public record PoolView(int size, long healthy, long busy, long spares, long warmSpares, int sparesTarget, int waiting,
            List<ProcessView> processes) {
    }

    private final ProcessPool pool;
    private final LeaseManager leases;
    private final SpareKeeper spares;
    private final FencingLedger ledger;
    private final GatewayConfig config;

    public PoolResource(ProcessPool pool, LeaseManager leases, SpareKeeper spares, FencingLedger ledger, GatewayConfig config) {
        this.pool = pool;
        this.leases = leases;
        this.spares = spares;
        this.ledger = ledger;
        this.config = config;
    }

    @GET
    @Operation(summary = "Processes (port, pid, health, lease, restarts), spares (warm ones of the target) and waiting requests")
    public PoolView pool() {
        List<ProcessView> processes = pool.processes().stream().map(this::view).toList();
        return new PoolView(processes.size(), pool.healthyCount(), leases.busyProcesses(), spares.spares(), leases.openSpares(),
                PoolHealthChecks.sparesTarget(config, processes.size()), leases.waiting(), processes);
    }

    @GET
    @Path("/fencing-audit")
    @Operation(summary = "Replays the fencing log: grants, ends, gateway runs, and every time a process or wallet was held by two"
            + " leases at once (none, when leases were exclusive)")
    public FencingAudit.Result fencingAudit() throws IOException {
        var log = ledger.logFile(); // a file path; "Path" is the JAX-RS annotation here
        return FencingAudit.of(Files.exists(log) ? Files.readAllLines(log) : List.of());
    }

    private ProcessView view(WalletProcess p) {
        return new ProcessView(p.index(), p.port(), p.pid(), p.health().name(), leases.leaseOf(p).orElse(null),
                p.openWallet().map(w -> w.spare() ? "spare" : leases.leaseOf(p).isPresent() ? "leased" : "parked").orElse(null), p.restarts(), p.lastFailure());
    }
}
