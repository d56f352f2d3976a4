package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * A validated request: per role, an existing wallet id or empty for a new wallet.
 */
public record LeaseRequest(String holder, Map<Role, Optional<String>> wallets, Duration ttl, Duration maxWait) {
}
