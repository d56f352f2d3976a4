package dev.escrowstack.escrow.setup;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.GatewayModels.LeasedWallet;
import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;

/**
 * One setup's wallet calls and snapshots as the analyzer reads them from an escrow file: when the
 * setup fails, the analyzer library diagnoses this journal, so the problem body, the escrow view and
 * ERROR_FINAL give the answer the CLI and the diagnosis API give from the file. Hashes of infos only:
 * the infos themselves never enter it. Written from the round's call threads, hence synchronized.
 */
public final class SetupJournal {

    private final String escrowId;
    private final Lease lease;
    private final List<Entry> entries = new ArrayList<>();
    /**
     * The port that last answered for each role: a snapshot's or a refusal's. Under a shared instance it is
     * not the lease's, and that difference is what shows Pattern B.
     */
    private final Map<Role, Integer> servedBy = new EnumMap<>(Role.class);
    private final AtomicLong spans = new AtomicLong();

    private record Entry(long timestamp, String type, Role role, Integer port, Map<String, Object> details) {
    }

    /** A call in flight; {@link #ok} or {@link #failed} records its end. */
    public final class Call {
        private final String spanId = Long.toString(spans.incrementAndGet());
        private final Role role;
        private final String method;
        private final int round;
        private final long start = System.currentTimeMillis();
        private final List<String> inputHashes;

        private Call(Role role, String method, int round, List<String> inputs) {
            this.role = role;
            this.method = method;
            this.round = round;
            this.inputHashes = inputs.stream().map(Hashes::sha256Hex).toList();
            add(start, EventTypes.RPC_CALL_START, role, base(this));
        }

        public void ok(String outputInfoHash) {
            Map<String, Object> d = end(this);
            d.put("success", true);
            if (outputInfoHash != null && !outputInfoHash.isEmpty()) {
                d.put("output_info_hash", outputInfoHash);
            }
            add(System.currentTimeMillis(), EventTypes.RPC_CALL_END, role, d);
        }

        public void failed(String error, Integer errorCode, Integer port) {
            if (port != null) {
                served(role, port);
            }
            Map<String, Object> d = end(this);
            d.put("success", false);
            d.put("error", error);
            if (errorCode != null) {
                d.put("error_code", errorCode);
            }
            add(System.currentTimeMillis(), EventTypes.RPC_CALL_ERROR, role, d);
        }
    }

    public SetupJournal(String escrowId, Lease lease) {
        this.escrowId = escrowId;
        this.lease = lease;
    }

    public Call call(Role role, String method, int round, List<String> inputs) {
        return new Call(role, method, round, inputs);
    }

    public void snapshot(Role role, WalletState s, String... points) {
        served(role, s.port());
        for (String point : points) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("wallet_id", s.walletId());
            d.put("is_multisig", s.isMultisig());
            d.put("ready", s.ready());
            d.put("threshold", s.threshold());
            d.put("total", s.total());
            d.put("address_hash", s.addressHash());
            d.put("file_exists", s.fileExists());
            add(System.currentTimeMillis(), point, role, d);
        }
    }

    /**
     * The analyzer's verdict on this setup. {@code previousEscrowOf}: for a wallet another escrow had
     * before this one, that escrow's id (Pattern A names where a polluted wallet came from).
     */
    public Diagnosis diagnose(Map<String, String> previousEscrowOf) {
        List<Event> events = new ArrayList<>();
        synchronized (entries) {
            for (Entry e : entries) {
                Map<String, Object> details = new LinkedHashMap<>(e.details());
                String previous = previousEscrowOf.get(String.valueOf(details.get("wallet_id")));
                if (previous != null) {
                    details.put("previous_escrow_id", previous);
                }
                events.add(new Event(events.size(), null, e.timestamp(), e.type(), e.role() == null ? null : e.role().name(), e.port(),
                        details));
            }
        }
        return Diagnoser.diagnose(new EscrowFile("escrow-service", escrowId, events));
    }

    private Map<String, Object> base(Call c) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("method", c.method);
        d.put("span_id", c.spanId);
        d.put("wallet_id", wallet(c.role).walletId());
        d.put("round", c.round);
        return d;
    }

    private Map<String, Object> end(Call c) {
        Map<String, Object> d = base(c);
        d.put("duration_ms", System.currentTimeMillis() - c.start);
        if (!c.inputHashes.isEmpty()) {
            d.put("input_info_hashes", c.inputHashes);
        }
        return d;
    }

    private LeasedWallet wallet(Role role) {
        return lease.wallets().get(role);
    }

    private void served(Role role, int port) {
        synchronized (entries) {
            servedBy.put(role, port);
        }
    }

    private void add(long timestamp, String type, Role role, Map<String, Object> details) {
        synchronized (entries) {
            entries.add(new Entry(timestamp, type, role, servedBy.getOrDefault(role, wallet(role).port()), details));
        }
    }
}
