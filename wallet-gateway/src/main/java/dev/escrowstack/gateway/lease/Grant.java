package dev.escrowstack.gateway.lease;

import java.util.Map;
import java.util.Optional;

import dev.escrowstack.telemetry.Role;

/** A waiter the slot book has given processes to: its lease id and fencing token, and per role a place. */
record Grant(Waiter waiter, String leaseId, long token, Map<Role, Placement> placements) {

    /** One role of a grant: the process (index) and either an existing wallet id or empty for a new wallet. */
    record Placement(Role role, int process, Optional<String> walletId) {
    }
}
