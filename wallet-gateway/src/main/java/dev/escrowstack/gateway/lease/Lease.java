package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** An exclusive hold on a set of wallets and their processes, fenced by a token no other lease shares. */
public final class Lease {

    private final String id;
    private final String holder;
    private final long fencingToken;
    private final Map<Role, LeasedWallet> wallets;
    private final Instant acquiredAt;
    private final long waitedMillis;
    private final List<LeaseIncident> incidents = new CopyOnWriteArrayList<>();
    private volatile Instant expiresAt;
    private volatile LeaseState state = LeaseState.ACTIVE;
    private volatile Instant endedAt;

    Lease(String id, String holder, long fencingToken, Map<Role, LeasedWallet> wallets, Instant acquiredAt,
            Instant expiresAt, long waitedMillis) {
        this.id = id;
        this.holder = holder;
        this.fencingToken = fencingToken;
        this.wallets = Collections.unmodifiableMap(new EnumMap<>(wallets));
        this.acquiredAt = acquiredAt;
        this.expiresAt = expiresAt;
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

    public Instant expiresAt() {
        return expiresAt;
    }

    void expiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    public long waitedMillis() {
        return waitedMillis;
    }

    public LeaseState state() {
        return state;
    }

    void state(LeaseState state) {
        this.state = state;
        if (state == LeaseState.RELEASED || state == LeaseState.EXPIRED) {
            endedAt = Instant.now();
        }
    }

    public Instant endedAt() {
        return endedAt;
    }

    public List<LeaseIncident> incidents() {
        return incidents;
    }

    void incident(LeaseIncident incident) {
        incidents.add(incident);
    }
}
