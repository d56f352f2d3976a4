package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.time.Instant;

/** Something that happened to a leased wallet's process while the lease held it. */
public record LeaseIncident(Instant at, Role role, String kind, String detail) {
}
