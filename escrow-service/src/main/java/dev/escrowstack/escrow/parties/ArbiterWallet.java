package dev.escrowstack.escrow.parties;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.HeldLease;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.telemetry.Role;

/**
 * A non-custodial escrow's arbiter wallet for one step: leased from the gateway that holds it, the step, released.
 * The setup's rounds, the sync epochs and the payouts all reach the service's only wallet of the escrow this way.
 */
@ApplicationScoped
public class ArbiterWallet {

    private final WalletGateway gateway;
    private final PartiesConfig config;

    public ArbiterWallet(WalletGateway gateway, PartiesConfig config) {
        this.gateway = gateway;
        this.config = config;
    }

    public <T> T step(Escrow e, Function<Lease, T> call) {
        try (HeldLease held = gateway.acquire(e.id, e.gateway, List.of(Role.arbiter), Map.of(Role.arbiter, e.arbiterWalletId),
                config.leaseTtl(), config.leaseWait())) {
            return call.apply(held.lease());
        }
    }
}
