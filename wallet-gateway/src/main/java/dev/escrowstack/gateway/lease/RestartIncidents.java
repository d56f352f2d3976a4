package dev.escrowstack.gateway.lease;

import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.gateway.process.ProcessRestarted;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.wallet.ProcessWallets;

/**
 * A wallet-rpc process restarted (crash or hang). When it serves a lease, the incident goes on the
 * lease (and its wallet is marked unavailable if it could not be reopened); when it serves none, a
 * wallet that could not be reopened goes back to the store unopened.
 */
@ApplicationScoped
public class RestartIncidents {

    private final LeaseRegistry registry;
    private final ProcessWallets wallets;
    private final LeaseTelemetry telemetry;

    public RestartIncidents(LeaseRegistry registry, ProcessWallets wallets, LeaseTelemetry telemetry) {
        this.registry = registry;
        this.wallets = wallets;
        this.telemetry = telemetry;
    }

    void onRestart(@Observes ProcessRestarted event) {
        WalletProcess process = event.process();
        Optional<Lease> lease = registry.leaseServedBy(process.index());
        Optional<LeasedWallet> leased = lease.flatMap(l -> l.wallets().values().stream()
                .filter(w -> w.process() == process).findFirst());
        String detail = "wallet-rpc#" + process.index() + " " + event.cause() + "; restarted as pid " + process.pid()
                + " on port " + process.port() + " after " + event.downtimeMillis() + " ms"
                + event.reopenError().map(e -> "; its wallet could not be reopened: " + e)
                        .orElse("; wallet reopened" + event.reopenNote().map(n -> ": " + n).orElse(""));
        if (leased.isPresent()) {
            lease.get().incident(new LeaseIncident(Instant.now(), leased.get().role(), "process-restarted", detail));
            event.reopenError().ifPresent(e -> leased.get().unavailable(detail));
        } else if (event.reopenError().isPresent()) {
            wallets.forget(process);
        }
        telemetry.restarted(event, lease, leased);
    }
}
