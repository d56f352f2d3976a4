package dev.escrowstack.party.setup;

/** The last step a party completed, in order; what a resumed run skips. */
public enum Step {
    NONE, PREPARED, ROUND1_SUBMITTED, MADE, ROUND2_SUBMITTED, EXCHANGED, ROUND3_SUBMITTED, ADDRESS_COMPUTED, ADDRESS_SUBMITTED, READY;

    boolean reached(Step other) {
        return compareTo(other) >= 0;
    }
}
