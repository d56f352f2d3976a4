package dev.escrowstack.escrow.setup;

import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * The skill's wallet-state snapshots, as span events on the escrow's span (trace-exporter turns them
 * into SNAPSHOT_* events of escrow_<id>.json). Snapshot points with no wallet call between them share
 * one state read: after make / before round 2, after the first exchange / before round 3, and after
 * the second exchange / final, which is the setup's own verify read. Disabled, this class makes no
 * call at all.
 */
@ApplicationScoped
public class Snapshots {

    private final WalletGateway gateway;
    private final boolean enabled;

    public Snapshots(WalletGateway gateway, EscrowConfig config) {
        this.gateway = gateway;
        this.enabled = config.instrumentation().enabled();
    }

    void announce(@Observes StartupEvent event) {
        Log.infof("Instrumentation %s (ENABLE_INSTRUMENTATION=%s)", enabled ? "ENABLED: wallet-state snapshots are recorded"
                : "disabled: no snapshot calls", System.getenv().getOrDefault("ENABLE_INSTRUMENTATION", ""));
    }

    public boolean enabled() {
        return enabled;
    }

    /**
     * Reads one wallet's state and records it under each of {@code points}, on the current span (the
     * round's, which carries escrow.id). Called on the wallet's own call thread right before or after its
     * step, so a snapshot waits for that wallet only, never for the other two. A failed read is recorded,
     * not thrown: a snapshot never fails a setup. Returns the state read (null when disabled or unreadable).
     */
    public WalletState take(Lease lease, Role role, String... points) {
        if (!enabled) {
            return null;
        }
        Span span = Span.current();
        try {
            WalletState state = gateway.state(lease, role);
            record(span, role, state, points);
            return state;
        } catch (RuntimeException e) { // GatewayCallFailed, or the gateway unreachable
            for (String point : points) {
                span.addEvent(point, Attributes.of(AttributeKey.stringKey("role"), role.name(),
                        AttributeKey.stringKey("wallet_id"), lease.wallets().get(role).walletId(),
                        AttributeKey.stringKey("error"), String.valueOf(e.getMessage())));
            }
            return null;
        }
    }

    /** Records states already read (the setup's final check) without another call. */
    public void record(Map<Role, WalletState> states, String... points) {
        if (!enabled) {
            return;
        }
        Span span = Span.current();
        states.forEach((role, state) -> record(span, role, state, points));
    }

    private static void record(Span span, Role role, WalletState state, String... points) {
        for (String point : points) {
            span.addEvent(point, attributes(role, state));
        }
        if (points[0].equals(EventTypes.SNAPSHOT_PRE_ROUND1) && state.isMultisig()) {
            // The skill's Pattern A, seen before it bites: a "new" wallet that is already multisig.
            span.addEvent(EventTypes.CACHE_POLLUTION_DETECTED, attributes(role, state).toBuilder()
                    .put("reason", "wallet " + state.walletId() + " on port " + state.port()
                            + " is already multisig before prepare_multisig: it was not a fresh wallet")
                    .build());
        }
    }

    private static Attributes attributes(Role role, WalletState s) {
        AttributesBuilder b = Attributes.builder()
                .put("wallet_id", s.walletId())
                .put("role", role.name())
                .put("rpc_port", (long) s.port())
                .put("is_multisig", s.isMultisig())
                .put("ready", s.ready())
                .put("threshold", (long) s.threshold())
                .put("total", (long) s.total())
                .put(AttributeKey.longArrayKey("balance"), List.of(s.balance(), s.unlockedBalance()))
                .put("address", s.address())
                .put("address_hash", s.addressHash())
                .put("file_exists", s.fileExists())
                .put("collection_time_ms", s.collectionTimeMs());
        // The skill's file_perms and open_wallets_count; a gateway older than them leaves them out.
        if (s.filePerms() != null) {
            b.put("file_perms", s.filePerms());
        }
        if (s.openWalletsCount() != null) {
            b.put("open_wallets_count", (long) s.openWalletsCount());
        }
        return b.build();
    }
}
