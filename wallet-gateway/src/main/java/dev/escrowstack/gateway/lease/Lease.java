package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An exclusive hold on a set of wallets and their processes, fenced by a token no other lease shares.
 * What changes (state, expiry, end) is one immutable {@link Status}, replaced whole by
 * {@link LeaseRegistry} under its guard; anyone may read the current one without it.
 */
public final class Lease {

    public record Status(LeaseState state, Instant expiresAt, Instant endedAt) {
    }

    private final String id;
    private final String holder;
    private final long fencingToken;
    private final Map<Role, LeasedWallet> wallets;
    private final Instant acquiredAt;
    private final long waitedMillis;
    private final List<LeaseIncident> incidents = new CopyOnWriteArrayList<>();
    private volatile Status status;

    Lease(String id, String holder, long fencingToken, Map<Role, LeasedWallet> wallets, Instant acquiredAt,
            Instant expiresAt, long waitedMillis) {
        this.id = id;
        this.holder = holder;
        this.fencingToken = fencingToken;
        this.wallets = Collections.unmodifiableMap(new EnumMap<>(wallets));
        this.acquiredAt = acquiredAt;
        this.status = new Status(LeaseState.ACTIVE, expiresAt, null);
        this.waitedMillis = waitedMillis;
    }

    public String id() {
        return id;
    }

    public String holder() {
        return holder;
    }

    public long fencingToken() {
        return fencingToken;
    }

    public Map<Role, LeasedWallet> wallets() {
        return wallets;
    }

    public Instant acquiredAt() {
        return acquiredAt;
    }

    public Status status() {
        return status;
    }

    public Instant expiresAt() {
        return status.expiresAt();
    }

    void expiresAt(Instant expiresAt) {
        Status s = status;
        status = new Status(s.state(), expiresAt, s.endedAt());
    }

    public long waitedMillis() {
        return waitedMillis;
    }

    public LeaseState state() {
        return status.state();
    }

    void state(LeaseState state) {
        Status s = status;
        boolean ends = state == LeaseState.RELEASED || state == LeaseState.EXPIRED;
        status = new Status(state, s.expiresAt(), ends ? Instant.now() : s.endedAt());
    }

    public Instant endedAt() {
        return status.endedAt();
    }

    public List<LeaseIncident> incidents() {
        return incidents;
    }

    void incident(LeaseIncident incident) {
        incidents.add(incident);
    }
}
