package dev.escrowstack.escrow.setup;

import java.util.Optional;

import dev.escrowstack.analyzer.diagnosis.Attempts;

/**
 * A setup failure that is a fault rather than an answer: the wallet step's effect is unknown (the process died
 * or hung under the call, the gateway gave no answer, or it restarted and forgot the lease). Nothing about
 * the wallets can be trusted after one, so a custodial setup starts over on three new wallets instead of
 * repeating the step (docs/reliability.md). A refused call (422: already multisig, a wrong info) or a failed
 * final check is an answer: starting over would only hide it, so those are not faults here.
 *
 * @param kind what happened, e.g. {@code wallet-process-crashed}
 */
public record UnknownOutcome(String kind) {

    public static Optional<UnknownOutcome> of(SetupFailed f) {
        if (f.timedOut()) {
            return Optional.of(new UnknownOutcome("round-timeout")); // a hung call: it may still complete
        }
        String type = f.problemType();
        if (type == null) {
            return Optional.empty();
        }
        return switch (type) {
            case "wallet-process-crashed", "wallet-process-restarting", "wallet-rpc-timeout", "wallet-rpc-unavailable",
                    "gateway-unreachable" -> Optional.of(new UnknownOutcome(type));
            // The gateway restarted (its leases die with it) or the lease ran out under the setup.
            case "lease-not-found", "lease-ended" -> Optional.of(new UnknownOutcome("lease-lost"));
            default -> Optional.empty();
        };
    }

    /** "a wallet-rpc crash", for sentences: the analyzer's words, so the log and every diagnosis say the same. */
    public String describe() {
        return Attempts.describe(kind);
    }
}
