package dev.escrowstack.escrow.parties;

import java.time.Instant;

import dev.escrowstack.problem.ProblemException;

/** The mailbox's refusals, as problems that say what to do. */
final class PartyProblems {

    private PartyProblems() {
    }

    static ProblemException notParties(String escrowId) {
        return new ProblemException(409, "not-a-parties-escrow", "Not a non-custodial escrow",
                "escrow " + escrowId + " is custodial: the service holds its wallets, so there is no mailbox")
                .with("escrow_id", escrowId);
    }

    static ProblemException forbidden(String escrowId, String role) {
        return new ProblemException(403, "forbidden", "Forbidden", "this Party-Token is not the " + role + "'s token of escrow "
                + escrowId).with("escrow_id", escrowId).with("role", role);
    }

    static ProblemException missingToken(String escrowId) {
        return new ProblemException(401, "party-token-required", "Party token required",
                "send the token the party was given at init in the Party-Token header").with("escrow_id", escrowId)
                .challenge("Party-Token");
    }

    static ProblemException infoDiffers(String escrowId, String role, int round, String storedSha256, String sentSha256) {
        return new ProblemException(409, "info-differs", "A different info for this round",
                "the " + role + " already submitted round " + round + " with another info (sha256 " + storedSha256.substring(0, 12)
                        + "…, this one " + sentSha256.substring(0, 12) + "…): the first one counts. A wallet that produces a different"
                        + " info for the same step is not the wallet that started, or a second client drives it")
                .with("escrow_id", escrowId).with("role", role).with("round", round).with("submitted_sha256", storedSha256)
                .with("sent_sha256", sentSha256);
    }

    static ProblemException roundNotOpen(String escrowId, int round, int current) {
        return new ProblemException(409, "round-not-open", "Round not open",
                "round " + round + " opens when round " + (round - 1) + " is complete; the escrow collects round " + current)
                .with("escrow_id", escrowId).with("round", round).with("current_round", current);
    }

    static ProblemException ended(String escrowId, String status) {
        return new ProblemException(409, "setup-ended", "Setup ended", "escrow " + escrowId + " is " + status
                + ": its setup takes no more messages").with("escrow_id", escrowId).with("escrow_status", status);
    }

    static ProblemException otherRound(String escrowId, String role, int round, String whose) {
        return new ProblemException(409, "info-for-another-round", "Info for another round", "this info is " + whose + ", sent as round "
                + round + "'s: the " + role + "'s client is out of step with the rounds").with("escrow_id", escrowId).with("role", role)
                .with("round", round);
    }

    static ProblemException sameWallet(String escrowId, String role, String other) {
        return new ProblemException(409, "info-of-another-participant", "Info of another participant", "this round-1 info was made by"
                + " the same wallet as the " + other + "'s: each participant joins with a wallet of its own").with("escrow_id", escrowId)
                .with("role", role).with("round", 1);
    }

    static ProblemException otherWallet(String escrowId, String role, int round, String why) {
        return new ProblemException(409, "info-from-another-wallet", "Info from another wallet", why + ". The escrow has FAILED:"
                + " open a new one, with one wallet per party from its round 1 on").with("escrow_id", escrowId).with("role", role)
                .with("round", round);
    }

    static ProblemException badInfo(String why) {
        return ProblemException.badRequest(why).with("field", "info");
    }

    static ProblemException deadline(String escrowId, Instant deadline) {
        return new ProblemException(409, "round-deadline-passed", "Round deadline passed", "the round's deadline (" + deadline
                + ") has passed: the escrow is failing").with("escrow_id", escrowId);
    }
}
