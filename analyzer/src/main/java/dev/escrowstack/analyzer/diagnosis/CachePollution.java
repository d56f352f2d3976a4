package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * Pattern A: a wallet that is already multisig when round 1 starts — seen in its SNAPSHOT_PRE_ROUND1,
 * a CACHE_POLLUTION_DETECTED event, or monero-wallet-rpc's "This wallet is already multisig" (-28).
 */
final class CachePollution {

    private CachePollution() {
    }

    static Optional<Finding> find(EscrowFile file, List<RpcCall> calls, FailurePoint failure, WalletHistory history) {
        List<String> evidence = new ArrayList<>();
        Event polluted = null;
        for (Event e : file.events()) {
            boolean multisigBeforeRound1 = e.is(EventTypes.SNAPSHOT_PRE_ROUND1) && Boolean.TRUE.equals(e.multisig());
            if (multisigBeforeRound1 || e.is(EventTypes.CACHE_POLLUTION_DETECTED)) {
                if (multisigBeforeRound1) {
                    evidence.add(Texts.at(file, e) + " SNAPSHOT_PRE_ROUND1 role=" + e.role() + " multisig=true ❌ (wallet "
                            + e.text("wallet_id") + ")");
                }
                polluted = polluted == null ? e : polluted;
            }
        }
        RpcCall refused = calls.stream().filter(c -> !c.success() && alreadyMultisig(c.error())).findFirst().orElse(null);
        if (refused != null) {
            evidence.add("+" + (refused.end() - file.start()) + "ms " + refused.role() + " " + refused.method() + " refused: "
                    + refused.error() + (refused.errorCode() == null ? "" : " (code " + refused.errorCode() + ")"));
        }
        if (polluted == null && refused == null) {
            return Optional.empty();
        }
        String role = polluted != null ? polluted.role() : refused.role();
        RpcCall failing = refused != null && role != null && role.equals(refused.role()) ? refused : null;
        Event before = polluted != null && polluted.isSnapshot() ? polluted
                : FailurePoint.snapshotBefore(file, role, failing != null ? failing.endIndex() : Integer.MAX_VALUE);
        String walletId = before != null && before.text("wallet_id") != null ? before.text("wallet_id")
                : failing != null ? failing.walletId() : null;
        Integer port = before != null && before.rpcPort() != null ? before.rpcPort() : failing != null ? failing.port() : null;
        String operation = failing != null ? failing.method() : failure != null ? failure.operation() : "prepare_multisig";
        String error = failing != null ? failing.error() : failure != null ? failure.error() : null;
        String source = history.previousUser(file, walletId);
        if (source != null) {
            evidence.add("wallet " + walletId + " belonged to escrow " + source + " before it was handed to this one");
        }
        // The skill's own sentence: "RPC cache on port 18082 retains multisig state from escrow_1, causing
        // escrow_3 to fail at make_multisig() with 'already multisig' error."
        String cause = "RPC cache" + (port == null ? "" : " on port " + port) + " retains multisig state from "
                + (source == null ? "an earlier escrow" : "escrow " + source) + ", causing escrow " + file.escrowId() + " to fail at "
                + operation + "() with " + (error == null ? "a wallet that is already multisig" : alreadyMultisig(error)
                        ? "'already multisig' error" : "\"" + error + "\"") + ": the " + role + " wallet"
                + (walletId == null ? "" : " (" + walletId + ")") + " was already a multisig wallet before round 1.";
        return Optional.of(new Finding(Pattern.A, file.escrowId(), role, walletId, port, failing != null ? failing.round() : 1, operation,
                error, before == null ? null : before.type(), FailurePoint.state(before), evidence, cause, Texts.FIX_A, Texts.WHY_A,
                source == null ? List.of() : List.of(source)));
    }

    static boolean alreadyMultisig(String error) {
        return error != null && error.toLowerCase(Locale.ROOT).contains("already multisig");
    }
}
