package dev.escrowstack.exporter.analysis;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

import dev.escrowstack.analyzer.diagnosis.Finding;
import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.diagnosis.Surfaced;

/**
 * The calls the browser marks: the one the diagnosis blames, found from the finding's role, round, operation,
 * wallet and port (a finding names a call but does not point at it), and the one where the failure surfaced. They differ when the cause came earlier, e.g. Pattern C: wrong infos at round 1's
 * make_multisig, an error at round 2.
 */
final class BlamedCall {

    private BlamedCall() {
    }

    static RpcCall of(Finding f, List<RpcCall> calls) {
        if (f == null || f.operation() == null) {
            return null;
        }
        // Role, operation and round must match; the wallet, the port and having failed pick among several.
        Comparator<RpcCall> best = Comparator.<RpcCall>comparingInt(c -> f.walletId() != null && f.walletId().equals(c.walletId()) ? 0 : 1)
                .thenComparingInt(c -> f.port() != null && f.port().equals(c.port()) ? 0 : 1)
                .thenComparingInt(c -> c.success() ? 1 : 0)
                .thenComparingLong(RpcCall::end);
        return calls.stream()
                .filter(c -> f.operation().equals(c.method()) && (f.role() == null || f.role().equals(c.role()))
                        && (f.round() == null || c.round() == 0 || Objects.equals(f.round(), c.round())))
                .min(best).orElse(null);
    }

    /**
     * The failed call where the diagnosis says the failure surfaced (its role, operation and round: of several
     * wallets failing at one step, the analyzer names the first in role order, as every other output does).
     */
    static RpcCall surfaced(Surfaced s, List<RpcCall> calls) {
        if (s == null) {
            return null;
        }
        return calls.stream().filter(c -> !c.success() && Objects.equals(s.role(), c.role()) && Objects.equals(s.operation(), c.method())
                && (s.round() == null || Objects.equals(s.round(), c.round()))).min(Comparator.comparingLong(RpcCall::end))
                .orElse(null);
    }
}
