package dev.escrowstack.escrow.funds;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.client.GatewayModels.TransferEntry;
import dev.escrowstack.escrow.funds.FundingStatus.Observation;
import dev.escrowstack.escrow.funds.FundingStatus.State;

class FundingStatusTest {

    static TransferEntry in(long amount, long confirmations) {
        return new TransferEntry("in", "tx" + amount, amount, 0, confirmations, 100);
    }

    @Test
    void fundedNeedsTheAmountWithTheConfirmationsAndSpendable() {
        assertEquals(State.AWAITING_FUNDS, Observation.of(List.of(), 0, 10).state(100));
        assertEquals(State.UNDERFUNDED, Observation.of(List.of(in(60, 20)), 60, 10).state(100));
        assertEquals(State.CONFIRMING, Observation.of(List.of(in(60, 20), in(40, 3)), 60, 10).state(100), "one part too young");
        assertEquals(State.CONFIRMING, Observation.of(List.of(in(100, 12)), 0, 10).state(100), "not unlocked yet");
        assertEquals(State.FUNDED, Observation.of(List.of(in(60, 20), in(40, 10)), 100, 10).state(100));
        assertEquals(State.OVERFUNDED, Observation.of(List.of(in(150, 10)), 150, 10).state(100));
    }

    @Test
    void poolTransfersCountAsReceivedWithNoConfirmationsAndOutgoingOnesNotAtAll() {
        Observation seen = Observation.of(List.of(in(70, 30), new TransferEntry("pool", "p", 30, 0, 5, 0),
                new TransferEntry("out", "o", 999, 1, 40, 90)), 70, 10);
        assertEquals(100, seen.received());
        assertEquals(70, seen.confirmed());
        assertEquals(0, seen.confirmations(), "the fewest: the pool's");
        assertEquals(State.CONFIRMING, seen.state(100));
    }
}
