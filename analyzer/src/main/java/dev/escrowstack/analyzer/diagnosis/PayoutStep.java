package dev.escrowstack.analyzer.diagnosis;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * One PARTY_PAYOUT event (an escrow.party.payout span of escrow-service): a step of a payout the parties make.
 * {@code role} is the party it concerns — the sender of an export or a transaction set, the stale party, the
 * awaited signer. Hashes only: never a transaction set, an info or an address.
 */
record PayoutStep(Event event, String role, String step, long epoch, String operation, String outcome, String reason,
        List<String> staleRoles, String txsetSha256, String destinationSha256, String expectedSha256, String signer, String since,
        String deadline, boolean success, String error) {

    static final String SYNC_IMPORTED = "sync-imported";
    static final String STALE = "stale";
    static final String TXSET = "txset";
    static final String SIGNER_OVERDUE = "signer-overdue";
    static final String SUBMITTED = "submitted";
    /** The states a payout ends in (escrow.payout's STATE_CHANGE): after one, nothing of the payout is pending. */
    private static final Set<String> PAID_OUT = Set.of("RELEASED", "REFUNDED", "RESOLVED");

    static List<PayoutStep> of(EscrowFile file) {
        return file.events().stream().filter(e -> e.is(EventTypes.PARTY_PAYOUT)).map(PayoutStep::of).toList();
    }

    static PayoutStep of(Event e) {
        String stale = e.text("stale_roles");
        List<String> staleRoles = stale == null || stale.isBlank() ? List.of()
                : Arrays.stream(stale.split(",")).map(String::trim).filter(r -> !r.isEmpty()).toList();
        Long epoch = e.number("epoch");
        return new PayoutStep(e, e.role(), e.text("step"), epoch == null ? 0 : epoch, e.text("operation"), e.text("outcome"),
                e.text("reason"), staleRoles, e.text("txset_sha256"), e.text("destination_sha256"), e.text("expected_sha256"),
                e.text("signer"), e.text("since"), e.text("deadline"), !Boolean.FALSE.equals(e.flag("success")), e.text("error"));
    }

    boolean is(String name) {
        return name.equals(step);
    }

    boolean refusedTxSet() {
        return is(TXSET) && "REFUSED".equals(outcome);
    }

    boolean acceptedTxSet() {
        return is(TXSET) && "ACCEPTED".equals(outcome);
    }

    /** The first payout end state (RELEASED, REFUNDED, RESOLVED) after {@code after}, or null. */
    static Event paidOutAfter(EscrowFile file, Event after) {
        return file.events().stream().filter(e -> e.index() > after.index() && e.is(EventTypes.STATE_CHANGE)
                && PAID_OUT.contains(e.text("state"))).findFirst().orElse(null);
    }

    /** "release", "resolve_buyer", or "payout" when escrow-service did not say which. */
    String kind() {
        return operation == null ? "payout" : operation;
    }
}
