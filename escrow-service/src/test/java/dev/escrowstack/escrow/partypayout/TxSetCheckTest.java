package dev.escrowstack.escrow.partypayout;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.client.GatewayModels.Described;
import dev.escrowstack.escrow.client.GatewayModels.Recipient;

/** What a payout's transaction set must be, read from describe_transfer's summary (FundsLifecycleIT: a real one). */
class TxSetCheckTest {

    static final String PAYEE = "4payee";
    static final long BALANCE = 1_000_000_000_000L;
    static final long FEE = 1_808_400_000L;

    static Described paying(long amountIn, long fee, long change, Recipient... to) {
        long out = List.of(to).stream().mapToLong(Recipient::amount).sum() + change;
        return new Described(amountIn, out, fee, change, List.of(to));
    }

    @Test
    void everythingToThePayeeLessTheFeePasses() {
        assertEquals(Optional.empty(), TxSetCheck.refusal(paying(BALANCE, FEE, 0, new Recipient(PAYEE, BALANCE - FEE)), PAYEE, "vendor",
                BALANCE));
    }

    @Test
    void anotherAddressIsRefusedNamingWhoseAddressItShouldPay() {
        String why = TxSetCheck.refusal(paying(BALANCE, FEE, 0, new Recipient("4other", BALANCE - FEE)), PAYEE, "vendor", BALANCE)
                .orElseThrow();
        assertEquals("it pays another address than the vendor's recorded payout address", why);
    }

    @Test
    void aSecondRecipientIsRefusedEvenBesideThePayee() {
        assertTrue(TxSetCheck.refusal(paying(BALANCE, FEE, 0, new Recipient(PAYEE, BALANCE - FEE - 5), new Recipient("4other", 5)),
                PAYEE, "buyer", BALANCE).orElseThrow().contains("2 recipients"));
    }

    @Test
    void changeLeftAtTheEscrowIsRefused() {
        assertTrue(TxSetCheck.refusal(paying(BALANCE, FEE, 100, new Recipient(PAYEE, BALANCE - FEE - 100)), PAYEE, "vendor", BALANCE)
                .orElseThrow().contains("as change"));
    }

    @Test
    void spendingLessThanEverythingIsRefused() {
        long half = BALANCE / 2;
        assertTrue(TxSetCheck.refusal(paying(half, FEE, 0, new Recipient(PAYEE, half - FEE)), PAYEE, "vendor", BALANCE).orElseThrow()
                .contains("sends everything"));
    }

    @Test
    void aRecipientAmountThatDoesNotAddUpIsRefused() {
        assertTrue(TxSetCheck.refusal(new Described(BALANCE, BALANCE - FEE, FEE, 0, List.of(new Recipient(PAYEE, BALANCE - 2 * FEE))),
                PAYEE, "vendor", BALANCE).orElseThrow().contains("less a fee"));
    }

    @Test
    void aSetThatPaysNobodyIsRefused() {
        assertTrue(TxSetCheck.refusal(new Described(BALANCE, 0, BALANCE, 0, List.of()), PAYEE, "vendor", BALANCE).orElseThrow()
                .contains("0 recipients"));
        assertNull(TxSetCheck.destination(new Described(BALANCE, 0, BALANCE, 0, List.of())));
    }
}
