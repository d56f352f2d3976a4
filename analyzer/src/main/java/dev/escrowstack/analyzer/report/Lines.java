package dev.escrowstack.analyzer.report;

import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.escrowstack.analyzer.diagnosis.Texts;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/** One event as one line, the way the skill shows them: {@code [+0ms] SNAPSHOT_PRE_ROUND1 role=buyer multisig=true ❌}. */
public final class Lines {

    private static final Set<String> AFTER_MAKE = Set.of(EventTypes.SNAPSHOT_POST_MAKE_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND2,
            EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, EventTypes.SNAPSHOT_PRE_ROUND3, EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG,
            EventTypes.SNAPSHOT_FINAL);

    private Lines() {
    }

    public static String of(EscrowFile file, Event e) {
        return of(file, e, null);
    }

    /** With what {@link SnapshotChecks} found wrong with a snapshot beside the others, said after its ❌. */
    public static String of(EscrowFile file, Event e, String problem) {
        StringBuilder b = new StringBuilder("[+").append(e.timestamp() - file.start()).append("ms] ").append(e.type());
        if (e.role() != null) {
            b.append(" role=").append(e.role());
        }
        if (e.rpcPort() != null) {
            b.append(" port=").append(e.rpcPort());
        }
        if (e.isRpc()) {
            b.append(" method=").append(e.method());
            b.append(Rounds.ofCall(e.number("round")));
            if (!e.is(EventTypes.RPC_CALL_START)) {
                b.append(' ').append(e.number("duration_ms") == null ? "?" : e.number("duration_ms")).append("ms");
                boolean ok = e.is(EventTypes.RPC_CALL_END) && !Boolean.FALSE.equals(e.flag("success"));
                b.append(ok ? " ✅" : " ❌");
                if (e.text("error") != null) {
                    b.append(" error=\"").append(e.text("error")).append('"');
                }
                if (e.number("error_code") != null) {
                    b.append(" code=").append(e.number("error_code"));
                }
            }
        } else if (e.isSnapshot()) {
            appendSnapshot(b, e, problem);
        } else if (Rounds.isSpan(e)) {
            b.append(' ').append(Rounds.started(e));
        } else if (e.is(EventTypes.STATE_CHANGE)) {
            b.append(" state=").append(e.text("state"));
            if (e.number("duration_ms") != null) {
                b.append(" duration=").append(e.number("duration_ms")).append("ms");
            }
        } else if (e.is(EventTypes.ERROR_FINAL)) {
            b.append(" ❌ error=\"").append(e.text("error")).append('"');
            Map<String, Object> context = e.map("context");
            if (!context.isEmpty()) {
                b.append(" context=").append(context);
            }
        } else if (e.is(EventTypes.CACHE_POLLUTION_DETECTED)) {
            b.append(" wallet=").append(e.text("wallet_id")).append(" multisig=").append(e.multisig()).append(" ❌");
        } else if (e.is(EventTypes.FILE_OPERATION)) {
            b.append(" operation=").append(e.text("operation")).append(" wallet=").append(e.text("wallet_id"));
            b.append(' ').append(e.number("duration_ms") == null ? "?" : e.number("duration_ms")).append("ms");
            b.append(Boolean.FALSE.equals(e.flag("success")) ? " ❌" : " ✅");
            if (e.text("error") != null) {
                b.append(" error=\"").append(e.text("error")).append('"');
            }
        } else if (e.is(EventTypes.PARTY_PAYOUT)) {
            PayoutLine.append(b, e);
        } else if (e.type().startsWith("LEASE_")) {
            b.append(" lease=").append(e.text("lease_id"));
            if (e.number("wait_ms") != null) {
                b.append(" wait=").append(e.number("wait_ms")).append("ms");
            }
        } else if (!e.details().isEmpty()) {
            b.append(' ').append(e.details());
        }
        return b.toString();
    }

    private static void appendSnapshot(StringBuilder b, Event e, String problem) {
        if (e.text("error") != null) {
            b.append(" error=\"").append(e.text("error")).append("\" ❌");
            return;
        }
        Boolean multisig = e.multisig();
        b.append(" multisig=").append(multisig);
        if (e.flag("ready") != null) {
            b.append(" ready=").append(e.flag("ready"));
        }
        if (e.text("address_hash") != null) {
            b.append(" address_hash=").append(Texts.shortHash(e.text("address_hash")));
        }
        List<Object> balance = e.list("balance");
        if (!balance.isEmpty()) {
            b.append(" balance=").append(balance);
        }
        if (e.text("wallet_id") != null) {
            b.append(" wallet=").append(e.text("wallet_id"));
        }
        boolean wrong = e.is(EventTypes.SNAPSHOT_PRE_ROUND1) && Boolean.TRUE.equals(multisig)
                || AFTER_MAKE.contains(e.type()) && Boolean.FALSE.equals(multisig)
                || (e.is(EventTypes.SNAPSHOT_FINAL) || e.is(EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG)) && Boolean.FALSE.equals(e.flag("ready"))
                || Boolean.FALSE.equals(e.flag("file_exists"));
        b.append(wrong || problem != null ? " ❌" : " ✅");
        if (problem != null) {
            b.append(' ').append(problem);
        }
    }
}
