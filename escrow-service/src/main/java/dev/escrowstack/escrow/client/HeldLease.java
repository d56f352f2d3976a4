package dev.escrowstack.escrow.client;

import dev.escrowstack.escrow.client.GatewayModels.Lease;

/**
 * A granted lease that goes back to its gateway pod when closed, so {@code try (HeldLease held = gateway.acquire(…))}
 * releases it on every path, a failed wallet step included. Release is best effort: a lease that cannot be
 * released expires at its TTL.
 */
public final class HeldLease implements AutoCloseable {

    private final WalletGateway gateway;
    private final Lease lease;

    HeldLease(WalletGateway gateway, Lease lease) {
        this.gateway = gateway;
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }

    @Override
    public void close() {
        gateway.release(lease);
    }
}
