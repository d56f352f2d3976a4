package dev.escrowstack.analyzer.diagnosis;

import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Where a failure surfaced, as opposed to its root cause ({@link Finding}): the first wallet call that
 * failed (or the escrow's final error when none did), and every other wallet whose call failed too —
 * under Pattern B all three wallets fail at once, and naming only the first one would blame a bystander.
 */
public record Surfaced(String role, String walletId, Integer port, Integer round, String operation, String error, Long errorCode,
        List<Wallet> wallets, String summary) {

    /** One wallet whose call failed. */
    public record Wallet(String role, String walletId, Integer port, Integer round, String operation, String error) {
    }

    static Surfaced of(FailurePoint first, List<RpcCall> calls) {
        if (first == null) {
            return null;
        }
        List<Wallet> wallets = calls.stream().filter(c -> !c.success()).sorted(Comparator.comparingLong(RpcCall::end))
                .map(c -> new Wallet(c.role(), c.walletId(), c.port(), c.round(), c.method(), c.error()))
                .filter(distinctRole()).toList();
        return new Surfaced(first.role(), first.walletId(), first.port(), first.round(), first.operation(), first.error(),
                first.errorCode(), wallets, summary(first, wallets));
    }

    /** Several failed calls of one wallet are one failed wallet; its first failure counts. */
    private static Predicate<Wallet> distinctRole() {
        Set<String> seen = new HashSet<>();
        return w -> seen.add(String.valueOf(w.role()) + "/" + w.walletId());
    }

    /**
     * "the buyer wallet (w-1, port 18082) failed at exchange_multisig_keys in round 2: …", or, when
     * several did, "all three wallets failed at make_multisig in round 1 on shared port 18091; the buyer wallet: …".
     */
    static String summary(FailurePoint first, List<Wallet> wallets) {
        if (wallets.size() < 2) {
            return "the " + (first.role() == null ? "escrow's" : first.role()) + (first.role() == null ? "" : " wallet")
                    + where(first.walletId(), first.port()) + " failed at " + first.operation()
                    + (first.round() == null ? "" : " in round " + first.round()) + (first.error() == null ? "" : ": " + first.error());
        }
        String who = wallets.size() == 3 ? "all three wallets"
                : wallets.stream().map(Wallet::role).collect(Collectors.joining(" and ")) + " wallets";
        List<String> operations = wallets.stream().map(Wallet::operation).distinct().toList();
        List<Integer> ports = wallets.stream().map(Wallet::port).filter(Objects::nonNull).distinct().toList();
        String at = operations.size() == 1 ? " at " + operations.get(0)
                : " at " + wallets.stream().map(w -> w.operation() + " (" + w.role() + ")").collect(Collectors.joining(", "));
        String round = wallets.stream().map(Wallet::round).distinct().count() == 1 && wallets.get(0).round() != null
                && wallets.get(0).round() > 0 ? " in round " + wallets.get(0).round() : "";
        String on = ports.isEmpty() ? "" : ports.size() == 1 ? " on shared port " + ports.get(0)
                : " on ports " + ports.stream().map(String::valueOf).collect(Collectors.joining(", "));
        return who + " failed" + at + round + on + "; the " + first.role() + " wallet" + (first.error() == null ? "" : ": " + first.error());
    }

    private static String where(String walletId, Integer port) {
        if (walletId == null && port == null) {
            return "";
        }
        return " (" + (walletId == null ? "" : walletId) + (walletId != null && port != null ? ", " : "")
                + (port == null ? "" : "port " + port) + ")";
    }
}
