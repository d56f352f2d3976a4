package dev.escrowstack.escrow.service;

import java.time.Instant;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.service.EscrowStore.Failure;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Nothing stays INITIALIZING. At start, the setups this instance was running when it died are failed
 * at once (resuming is not provably safe: a make_multisig whose answer was lost may or may not have
 * happened). Every minute, any setup older than the longest a setup can take is failed too, which
 * covers instances that never come back. Their gateway leases are released.
 */
@ApplicationScoped
public class AbandonedSetups {

    private final EscrowRepository repository;
    private final EscrowStore store;
    private final WalletGateway gateway;
    private final EscrowService service;
    private final EscrowConfig config;

    public AbandonedSetups(EscrowRepository repository, EscrowStore store, WalletGateway gateway, EscrowService service,
            EscrowConfig config) {
        this.repository = repository;
        this.store = store;
        this.gateway = gateway;
        this.service = service;
        this.config = config;
    }

    void onStart(@Observes StartupEvent event) {
        List<Escrow> ours = QuarkusTransaction.requiringNew().call(() -> repository.initializingOwnedBy(config.instanceId()));
        fail(ours, "escrow-service restarted during the setup");
    }

    @Scheduled(every = "60s", delayed = "60s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        Instant cutoff = Instant.now().minus(service.maxSetupDuration());
        fail(QuarkusTransaction.requiringNew().call(() -> repository.initializingSince(cutoff)),
                "setup abandoned: no progress for " + service.maxSetupDuration().toSeconds() + " s");
    }

    private void fail(List<Escrow> escrows, String why) {
        for (Escrow e : escrows) {
            Log.warnf("escrow %s was left INITIALIZING; marking it FAILED (%s)", e.id, why);
            String pod = e.gateway;
            String leaseId = e.leaseId;
            Long token = e.leaseToken;
            store.failed(e.id, new Failure(null, null, "abandoned", null, why), false);
            if (leaseId != null && token != null) {
                gateway.release(pod, leaseId, token);
            }
            // A lease granted just before the crash may never have been recorded: the gateway knows it by holder.
            gateway.releaseAllOf(e.id);
        }
    }
}
