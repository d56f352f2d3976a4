package dev.escrowstack.escrow.setup;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/** The snapshot span events carry the skill's fields; a wallet already multisig before round 1 says why it is pollution. */
class SnapshotsTest {

    @Test
    void snapshotsCarryFilePermsAndOpenWalletsAndPollutionItsReason() {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        Snapshots snapshots = new Snapshots(null, enabled());
        WalletState polluted = new WalletState("buyer", "w-1", 18082, true, true, 2, 3, "5abc", "hash", 0, 0, true, 3, "600", 1);

        Span span = provider.get("test").spanBuilder("escrow.round").startSpan();
        try (Scope ignored = span.makeCurrent()) {
            snapshots.record(Map.of(Role.buyer, polluted), EventTypes.SNAPSHOT_PRE_ROUND1);
        } finally {
            span.end();
        }

        List<EventData> events = spans.getFinishedSpanItems().get(0).getEvents();
        Attributes snapshot = events.get(0).getAttributes();
        assertEquals(EventTypes.SNAPSHOT_PRE_ROUND1, events.get(0).getName());
        assertEquals("600", snapshot.get(AttributeKey.stringKey("file_perms")));
        assertEquals(1L, snapshot.get(AttributeKey.longKey("open_wallets_count")));
        assertEquals(18082L, snapshot.get(AttributeKey.longKey("rpc_port")));
        assertEquals(EventTypes.CACHE_POLLUTION_DETECTED, events.get(1).getName());
        assertTrue(events.get(1).getAttributes().get(AttributeKey.stringKey("reason")).contains("already multisig before prepare_multisig"));
    }

    private static EscrowConfig enabled() {
        EscrowConfig.Instrumentation on = (EscrowConfig.Instrumentation) Proxy.newProxyInstance(EscrowConfig.class.getClassLoader(),
                new Class<?>[] { EscrowConfig.Instrumentation.class }, (p, m, a) -> m.getName().equals("enabled") ? true : null);
        return (EscrowConfig) Proxy.newProxyInstance(EscrowConfig.class.getClassLoader(), new Class<?>[] { EscrowConfig.class },
                (p, m, a) -> m.getName().equals("instrumentation") ? on : null);
    }
}
