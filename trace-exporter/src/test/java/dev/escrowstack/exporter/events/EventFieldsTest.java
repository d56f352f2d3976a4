package dev.escrowstack.exporter.events;

import static dev.escrowstack.exporter.events.ProtoSpans.*;
import static dev.escrowstack.telemetry.EscrowAttributes.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.proto.trace.v1.Span;

/**
 * The golden list of the file's fields, per event type and the span it comes from
 * ({@code skill-format/event-fields.txt}): an event type that loses or renames a field fails here, before a
 * reader of the skill's format does. A field added on purpose goes into the list (and docs/trace-exporter.md).
 */
class EventFieldsTest {

    static final String ESCROW = "esc-golden";

    /** One span of each kind that makes events, with every attribute its producer sets. */
    static Map<String, Span> spans() {
        Map<String, Span> s = new LinkedHashMap<>();
        s.put("escrow.init (failed)", failed(span(1, SpanNames.ESCROW_INIT, 0, 9000, kv(ESCROW_ID, ESCROW), kv(ESCROW_BUYER_ID, "b1"),
                kv(ESCROW_VENDOR_ID, "v1"), kv(ESCROW_AMOUNT, 1000000), kv(ESCROW_STATUS, "FAILED"), kv(ESCROW_ROLE, "vendor"),
                kv(ESCROW_ROUND, 1), kv(ESCROW_OPERATION, "make_multisig")), "make_multisig: already multisig").build());
        s.put("lease.acquire", span(2, SpanNames.LEASE_ACQUIRE, 10, 400, kv(ESCROW_ID, ESCROW), kv(LEASE_ID, "l-1"),
                kv(LEASE_FENCING_TOKEN, 1), kv(LEASE_WAIT_MS, 390), kv(LEASE_OUTCOME, "granted")).build());
        s.put("wallet.file", span(3, SpanNames.WALLET_FILE, 20, 300, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROLE, "buyer"), kv(LEASE_ID, "l-1"),
                kv(WALLET_ID, "w-1"), kv(WALLET_PROCESS, 0), kv(SERVER_PORT, 18082), kv(WALLET_FILE_OPERATION, "open"),
                kv(WALLET_FILE_PERMS, "600")).build());
        s.put("wallet.file (failed)", failed(span(4, SpanNames.WALLET_FILE, 20, 300, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROLE, "vendor"),
                kv(LEASE_ID, "l-1"), kv(WALLET_ID, "w-2"), kv(WALLET_PROCESS, 1), kv(SERVER_PORT, 18083), kv(WALLET_FILE_OPERATION, "open"),
                kv(ERROR_TYPE, "java.io.UncheckedIOException")), "cannot move wallet w-2 into wallet-rpc#1").build());
        s.put("escrow.round (snapshots)", span(5, SpanNames.ESCROW_ROUND, 500, 900, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROUND, 1),
                kv(ESCROW_OPERATION, "prepare_multisig"))
                .addEvents(event(EventTypes.SNAPSHOT_PRE_ROUND1, 510, snapshot()))
                .addEvents(event(EventTypes.CACHE_POLLUTION_DETECTED, 510, snapshot(kv("reason", "wallet w-1 on port 18082 is already multisig"))))
                .addEvents(event(EventTypes.CUSTOM, 505, kv("name", "fault_injected"), kv("fault", "cache-pollution"),
                        kv("wallet_id", "w-1"), kv("source_escrow_id", "esc-earlier")))
                .build());
        s.put("monero-wallet-rpc (ok)", rpc(6, "prepare_multisig").addAttributes(kv(MULTISIG_INFO_SHA256, "cc")).build());
        s.put("monero-wallet-rpc (failed)", failedRpc(7, true, true).build());
        s.put("escrow.payout", span(8, SpanNames.ESCROW_PAYOUT, 20000, 25000, kv(ESCROW_ID, ESCROW), kv(ESCROW_OPERATION, "release"),
                kv(ESCROW_AMOUNT, 1000000), kv(ESCROW_STATUS, "RELEASED"), kv(PAYOUT_ATTEMPT, 1), kv(PAYOUT_TX_HASHES, List.of("ab")),
                kv(PAYOUT_AMOUNT, 999000), kv(PAYOUT_FEE, 1000)).build());
        s.put("escrow.funding (FUNDED)", span(9, SpanNames.ESCROW_FUNDING, 15000, 15010, kv(ESCROW_ID, ESCROW), kv(ESCROW_STATUS, "FUNDED"),
                kv(ESCROW_RECEIVED, 1000000), kv(ESCROW_CONFIRMATIONS, 10), kv(ESCROW_FUNDING_STATE, "FUNDED")).build());
        s.put("escrow.dispute", span(10, SpanNames.ESCROW_DISPUTE, 16000, 16010, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROLE, "buyer"),
                kv(ESCROW_STATUS, "DISPUTED")).build());
        s.put("lease.release", span(11, SpanNames.LEASE_RELEASE, 8900, 8950, kv(ESCROW_ID, ESCROW), kv(LEASE_ID, "l-1")).build());
        s.put("lease.expire", span(12, SpanNames.LEASE_EXPIRE, 8900, 8950, kv(ESCROW_ID, ESCROW), kv(LEASE_ID, "l-2")).build());
        s.put("wallet-process.restart", span(13, SpanNames.PROCESS_RESTART, 700, 2700, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROLE, "arbiter"),
                kv(SERVER_PORT, 18084), kv("process.restart_cause", "died"), kv("process.old_pid", 100), kv("process.pid", 101),
                kv(WALLET_ID, "w-3"), kv(LEASE_ID, "l-1")).build());
        s.put("escrow.attempt.abandoned", failed(span(14, SpanNames.ESCROW_ATTEMPT_ABANDONED, 2800, 2800, kv(ESCROW_ID, ESCROW),
                kv(ESCROW_ATTEMPT, 1), kv(ESCROW_FAULT, "wallet-process-crashed"), kv(ESCROW_ROUND, 2),
                kv(ESCROW_OPERATION, "exchange_multisig_keys"), kv(ESCROW_ROLE, "arbiter"), kv(WALLET_ID, "w-3"),
                kv(ESCROW_WALLETS, "buyer=w-1,vendor=w-2,arbiter=w-3")), "monero-wallet-rpc serving the arbiter wallet exited").build());
        s.putAll(partyPayouts(15));
        return s;
    }

    /** escrow.party.payout as escrow-service emits it for each kind of step: what each one carries. */
    static Map<String, Span> partyPayouts(int n) {
        Map<String, Span> s = new LinkedHashMap<>();
        s.put("escrow.party.payout (sync-export)", span(n, SpanNames.ESCROW_PARTY_PAYOUT, 30000, 30000, kv(ESCROW_ID, ESCROW),
                kv(ESCROW_ROLE, "vendor"), kv(ESCROW_OPERATION, "release"), kv(PARTY_PAYOUT_STEP, "sync-export"), kv(PARTY_PAYOUT_EPOCH, 1),
                kv(PARTY_PAYOUT_OUTCOME, "NEW")).build());
        s.put("escrow.party.payout (stale)", failed(span(n + 1, SpanNames.ESCROW_PARTY_PAYOUT, 31000, 31000, kv(ESCROW_ID, ESCROW),
                kv(ESCROW_ROLE, "buyer"), kv(ESCROW_OPERATION, "release"), kv(PARTY_PAYOUT_STEP, "stale"), kv(PARTY_PAYOUT_EPOCH, 1),
                kv(PARTY_PAYOUT_STALE_ROLES, "buyer"), kv(PARTY_PAYOUT_REASON, "the vendor's transaction set")),
                "stale-multisig-data: the buyer has not imported epoch 1's infos").build());
        s.put("escrow.party.payout (txset refused)", failed(span(n + 2, SpanNames.ESCROW_PARTY_PAYOUT, 32000, 32000, kv(ESCROW_ID, ESCROW),
                kv(ESCROW_ROLE, "vendor"), kv(ESCROW_OPERATION, "release"), kv(PARTY_PAYOUT_STEP, "txset"), kv(PARTY_PAYOUT_EPOCH, 2),
                kv(PARTY_PAYOUT_OUTCOME, "REFUSED"), kv(PARTY_PAYOUT_REASON, "pays another address than the vendor's payout address"),
                kv(PARTY_PAYOUT_TXSET_SHA256, "7a7a"), kv(PARTY_PAYOUT_DESTINATION_SHA256, "d1d1"), kv(PARTY_PAYOUT_EXPECTED_SHA256, "e2e2")),
                "txset-refused: pays another address than the vendor's payout address").build());
        s.put("escrow.party.payout (signer-overdue)", failed(span(n + 3, SpanNames.ESCROW_PARTY_PAYOUT, 33000, 33000, kv(ESCROW_ID, ESCROW),
                kv(ESCROW_ROLE, "buyer"), kv(ESCROW_OPERATION, "resolve_buyer"), kv(PARTY_PAYOUT_STEP, "signer-overdue"),
                kv(PARTY_PAYOUT_EPOCH, 3), kv(PARTY_PAYOUT_SIGNER, "buyer"), kv(PARTY_PAYOUT_SINCE, "2026-11-30T14:00:00Z"),
                kv(PARTY_PAYOUT_DEADLINE, "2026-12-01T14:00:00Z")), "the buyer has not signed since 2026-11-30T14:00:00Z").build());
        return s;
    }

    static io.opentelemetry.proto.common.v1.KeyValue[] snapshot(io.opentelemetry.proto.common.v1.KeyValue... more) {
        List<io.opentelemetry.proto.common.v1.KeyValue> kvs = new ArrayList<>(List.of(kv("wallet_id", "w-1"), kv("role", "buyer"),
                kv("rpc_port", 18082), kv("is_multisig", false), kv("ready", false), kv("threshold", 0), kv("total", 0),
                kv("balance", List.of(0, 0)), kv("address", "5abc"), kv("address_hash", "9b1c"), kv("file_exists", true),
                kv("collection_time_ms", 12), kv("file_perms", "600"), kv("open_wallets_count", 1)));
        kvs.addAll(List.of(more));
        return kvs.toArray(io.opentelemetry.proto.common.v1.KeyValue[]::new);
    }

    /** A wallet RPC CLIENT span as the gateway emits it, under both the deprecated and the current names. */
    static Span.Builder rpc(int n, String method) {
        return span(n, SpanNames.walletRpc(method), 520, 600, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROLE, "buyer"), kv(LEASE_ID, "l-1"),
                kv(WALLET_ID, "w-1"), kv(ESCROW_ROUND, 1), kv(RPC_METHOD, method), kv(SERVER_ADDRESS, "127.0.0.1"), kv(SERVER_PORT, 18082),
                kv(WALLET_PROCESS, 0), kv(RPC_SYSTEM, "jsonrpc"), kv(RPC_JSONRPC_VERSION, "2.0"), kv(RPC_JSONRPC_REQUEST_ID, "7"),
                kv(RPC_SYSTEM_NAME, "jsonrpc"), kv(JSONRPC_PROTOCOL_VERSION, "2.0"), kv(JSONRPC_REQUEST_ID, "7"),
                kv(MULTISIG_INPUT_SHA256, List.of("aa", "bb")));
    }

    /** make_multisig refused with -28, under the deprecated names, the current ones, or both. */
    static Span.Builder failedRpc(int n, boolean old, boolean current) {
        Span.Builder b = span(n, SpanNames.walletRpc("make_multisig"), 600, 650, kv(ESCROW_ID, ESCROW), kv(ESCROW_ROLE, "vendor"),
                kv(LEASE_ID, "l-1"), kv(WALLET_ID, "w-2"), kv(ESCROW_ROUND, 1), kv(RPC_METHOD, "make_multisig"), kv(SERVER_PORT, 18083),
                kv(ERROR_TYPE, "-28"));
        if (old) {
            b.addAttributes(kv(RPC_SYSTEM, "jsonrpc")).addAttributes(kv(RPC_JSONRPC_VERSION, "2.0"))
                    .addAttributes(kv(RPC_JSONRPC_ERROR_CODE, -28)).addAttributes(kv(RPC_JSONRPC_ERROR_MESSAGE, "This wallet is already multisig"));
        }
        if (current) {
            b.addAttributes(kv(RPC_SYSTEM_NAME, "jsonrpc")).addAttributes(kv(JSONRPC_PROTOCOL_VERSION, "2.0"))
                    .addAttributes(kv(RPC_STATUS_CODE, "-28"));
        }
        return failed(b, "This wallet is already multisig");
    }

    /** One line per event: the span it came from, its type, role, top-level fields and detail fields (sorted). */
    static List<String> fieldLines() {
        List<String> lines = new ArrayList<>();
        spans().forEach((spanName, span) -> {
            for (EscrowEvent e : SpanEvents.of(span, ESCROW)) {
                Map<String, Object> json = e.toJson();
                lines.add(spanName + " | " + e.eventType() + " | role=" + json.get("role") + " | " + String.join(" ", new TreeSet<>(json.keySet()))
                        + " | details: " + keys(e.details()));
            }
        });
        return lines;
    }

    /** Sorted keys; a nested object's as {@code key{a b}}. */
    private static String keys(Map<String, Object> m) {
        List<String> out = new ArrayList<>();
        new TreeSet<>(m.keySet()).forEach(k -> {
            @SuppressWarnings("unchecked")
            String nested = m.get(k) instanceof Map<?, ?> inner ? "{" + keys((Map<String, Object>) inner) + "}" : "";
            out.add(k + nested);
        });
        return String.join(" ", out);
    }

    @Test
    void everyEventTypeKeepsItsFields() throws IOException {
        List<String> actual = fieldLines();
        String golden;
        try (InputStream in = getClass().getResourceAsStream("/skill-format/event-fields.txt")) {
            assertNotNull(in, "skill-format/event-fields.txt is missing; this run gives:\n" + String.join("\n", actual));
            golden = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<String> expected = golden.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).toList();
        assertEquals(String.join("\n", expected), String.join("\n", actual),
                "the file's fields changed: a reader of the skill's format may break. If on purpose, update the golden list and the docs");
    }

    @Test
    void roleIsAStringOnEveryEvent() {
        spans().values().forEach(span -> SpanEvents.of(span, ESCROW).forEach(e -> assertNotNull(e.toJson().get("role"), e.toString())));
    }

    @Test
    void aFailedCallUnderTheCurrentNamesOnlyGivesTheSameEventsAsUnderTheOldOnes() {
        List<EscrowEvent> old = SpanEvents.of(failedRpc(20, true, false).build(), ESCROW);
        List<EscrowEvent> current = SpanEvents.of(failedRpc(20, false, true).build(), ESCROW);
        List<EscrowEvent> both = SpanEvents.of(failedRpc(20, true, true).build(), ESCROW);
        assertEquals(old, current);
        assertEquals(old, both);
        assertEquals(-28L, current.get(1).details().get("error_code"));
        assertEquals("This wallet is already multisig", current.get(1).details().get("error"));
        assertEquals(EventTypes.RPC_CALL_ERROR, current.get(1).eventType());
    }

    /** A payout step keeps its attribute types (the epoch a number) and says a refusal as an error, on the party's lane. */
    @Test
    void aPartyPayoutStepIsOneEventOnThePartysLane() {
        List<EscrowEvent> refused = SpanEvents.of(partyPayouts(30).get("escrow.party.payout (txset refused)"), ESCROW);
        assertEquals(1, refused.size());
        EscrowEvent e = refused.get(0);
        assertEquals(EventTypes.PARTY_PAYOUT, e.eventType());
        assertEquals("vendor", e.role());
        assertEquals(T0 / 1_000_000 + 32000, e.timestamp());
        assertEquals(2L, e.details().get("epoch"));
        assertEquals("REFUSED", e.details().get("outcome"));
        assertEquals("d1d1", e.details().get("destination_sha256"));
        assertEquals(false, e.details().get("success"));
        assertEquals("txset-refused: pays another address than the vendor's payout address", e.details().get("error"));
        EscrowEvent ok = SpanEvents.of(partyPayouts(30).get("escrow.party.payout (sync-export)"), ESCROW).get(0);
        assertEquals(true, ok.details().get("success"));
        assertFalse(ok.details().containsKey("error"));
        assertTrue(SpanEvents.statesEscrowStatus(SpanNames.ESCROW_PARTY_PAYOUT), "only escrow-service may say how a payout went");
    }

    @Test
    void aSuccessfulCallUnderTheCurrentNamesOnlyGivesTheSameEvents() {
        Span both = rpc(21, "prepare_multisig").build();
        Span current = both.toBuilder().clearAttributes().addAllAttributes(both.getAttributesList().stream()
                .filter(kv -> !kv.getKey().equals(RPC_SYSTEM) && !kv.getKey().startsWith("rpc.jsonrpc.")).toList()).build();
        assertEquals(SpanEvents.of(both, ESCROW), SpanEvents.of(current, ESCROW));
    }
}
