package dev.escrowstack.gateway.process;

/**
 * Fired once the pool's first start has run. Whatever runs its own wallet-rpc beside the pool starts on
 * it, not before: the pool's start stops every wallet-rpc on the data directory that it did not start.
 */
public record PoolStarted() {
}
