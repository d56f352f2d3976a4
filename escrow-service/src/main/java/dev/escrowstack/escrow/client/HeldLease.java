package dev.escrowstack.escrow.client;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.escrowstack.escrow.client.GatewayModels.Lease;

/**
 * A granted lease that goes back to its gateway pod when closed, so {@code try (HeldLease held = gateway.acquire(…))}
 * releases it on every path, a failed wallet step included. Release is best effort: a lease that cannot be
 * released expires at its TTL.
 */
public final class HeldLease implements AutoCloseable {

    private final WalletGateway gateway;
    private final Lease lease;
    private final AtomicBoolean released = new AtomicBoolean();

    HeldLease(WalletGateway gateway, Lease lease) {
        this.gateway = gateway;
        this.lease = lease;
    }

    public Lease lease() {
        return lease;
    }

    @Override
    public void close() {
        if (released.compareAndSet(false, true)) {
            gateway.release(lease);
        }
    }

    /**
     * Releases on {@code executor} instead, for a caller that does not need the release to be over: giving back
     * wallets stores and closes each one, seconds when a process is being restarted under it. A later
     * {@link #close} does nothing.
     */
    public void closeIn(Executor executor) {
        if (released.compareAndSet(false, true)) {
            executor.execute(() -> gateway.release(lease));
        }
    }
}
