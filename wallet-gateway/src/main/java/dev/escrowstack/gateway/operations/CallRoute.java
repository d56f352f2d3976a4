package dev.escrowstack.gateway.operations;

import java.util.function.Function;

import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeasedWallet;

/**
 * Where a leased call runs once {@link LeasedCall} has checked lease, token, role and process. Chosen
 * once, at start-up: {@link OwnProcess}, the wallet's own process under its call lock — or, with
 * GATEWAY_FAULT=shared-instance, what the fault package puts in its place. The call path itself has
 * no fault branch.
 */
public interface CallRoute {

    <T> T run(Lease lease, LeasedWallet wallet, String operation, Function<LeasedCall.Target, T> work);
}
