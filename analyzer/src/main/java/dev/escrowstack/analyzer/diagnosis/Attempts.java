package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.telemetry.EventTypes;

/**
 * A custodial setup that started over on new wallets after a fault (ATTEMPT_ABANDONED events): its last attempt
 * is what succeeded or failed, so the failure patterns are read on that attempt's events only, and each
 * abandoned attempt becomes a finding of its own ({@link Pattern#HEALED}), neither clean nor a failure.
 */
public final class Attempts {

    private Attempts() {
    }

    /** The file's events from its last ATTEMPT_ABANDONED on (the file itself when it has none); event indexes are kept. */
    public static EscrowFile last(EscrowFile file) {
        Event cut = lastAbandoned(file);
        if (cut == null) {
            return file;
        }
        return new EscrowFile(file.source(), file.escrowId(), file.events().stream().filter(e -> e.index() > cut.index()).toList());
    }

    /** The calls of the last attempt: those that started after the last ATTEMPT_ABANDONED. */
    public static List<RpcCall> last(EscrowFile file, List<RpcCall> calls) {
        Event cut = lastAbandoned(file);
        return cut == null ? calls : calls.stream().filter(c -> c.start() >= cut.timestamp() && c.endIndex() > cut.index()).toList();
    }

    /** One HEALED finding per abandoned attempt, oldest first. */
    public static List<Finding> healed(EscrowFile file, List<RpcCall> calls) {
        List<Finding> findings = new ArrayList<>();
        long from = Long.MIN_VALUE;
        for (Event e : file.events()) {
            if (!e.is(EventTypes.ATTEMPT_ABANDONED)) {
                continue;
            }
            findings.add(finding(file, e, calls, from));
            from = e.timestamp();
        }
        return findings;
    }

    /** "a wallet-rpc crash", for a fault kind escrow-service recorded (the same words in every output). */
    public static String describe(String fault) {
        if (fault == null) {
            return "a fault";
        }
        return switch (fault) {
            case "wallet-process-crashed", "wallet-process-restarting" -> "a wallet-rpc crash";
            case "wallet-rpc-timeout", "round-timeout" -> "a hung wallet-rpc call";
            case "wallet-rpc-unavailable" -> "an unreachable wallet-rpc";
            case "gateway-unreachable" -> "a lost answer from wallet-gateway";
            case "lease-lost" -> "a wallet-gateway restart (the lease was gone)";
            default -> fault;
        };
    }

    private static Finding finding(EscrowFile file, Event abandoned, List<RpcCall> calls, long attemptStart) {
        String role = abandoned.role() == null || abandoned.role().equals(EventTypes.NO_WALLET_ROLE) ? null : abandoned.role();
        Integer round = abandoned.number("round") == null ? null : abandoned.number("round").intValue();
        Long attempt = abandoned.number("attempt");
        String fault = abandoned.text("fault");
        // The call the fault hit: that wallet's failed call in the abandoned attempt, for its port and error.
        RpcCall hit = calls.stream().filter(c -> !c.success() && c.start() >= attemptStart && c.start() <= abandoned.timestamp()
                && (role == null || role.equals(c.role()))).findFirst().orElse(null);
        Event before = role == null ? null : FailurePoint.snapshotBefore(file, role, abandoned.index());
        Map<String, Object> wallets = abandoned.map("wallets") == null ? Map.of() : new LinkedHashMap<>(abandoned.map("wallets"));
        String where = (round == null ? "" : " in round " + round) + (role == null ? "" : " on the " + role + " wallet");
        List<String> evidence = new ArrayList<>();
        evidence.add("event #" + abandoned.index() + " ATTEMPT_ABANDONED: attempt " + (attempt == null ? "?" : attempt) + ", fault "
                + fault + (abandoned.text("operation") == null ? "" : " at " + abandoned.text("operation")));
        if (hit != null) {
            evidence.add("the failed call: " + hit.method() + " on port " + hit.port() + " — " + hit.error());
        }
        if (!wallets.isEmpty()) {
            evidence.add("abandoned wallets, never handed out as new again: " + wallets);
        }
        String status = file.status();
        String cause = "healed after " + describe(fault) + where + ": attempt " + (attempt == null ? "?" : attempt)
                + " was abandoned and the setup started over on three new wallets" + (status.equals("READY") ? " (READY)" : "");
        return new Finding(Pattern.HEALED, file.escrowId(), role, abandoned.text("wallet_id"), hit == null ? null : hit.port(), round,
                abandoned.text("operation"), abandoned.text("reason"), before == null ? null : before.type(), FailurePoint.state(before),
                List.copyOf(evidence), cause,
                "Nothing to do for this escrow. If it recurs, read the log of the wallet-rpc that failed (wallet-gateway keeps one per"
                        + " process" + (hit == null || hit.port() == null ? "" : ", port " + hit.port()) + ") for why it died or hung.",
                "A multisig step whose outcome is unknown is never repeated on the same wallets: they may be half multisig, which is"
                        + " how Pattern A begins. A custodial setup's wallets are new and cost nothing to abandon, so it starts over.",
                List.of());
    }

    private static Event lastAbandoned(EscrowFile file) {
        Event last = null;
        for (Event e : file.events()) {
            if (e.is(EventTypes.ATTEMPT_ABANDONED)) {
                last = e;
            }
        }
        return last;
    }
}
