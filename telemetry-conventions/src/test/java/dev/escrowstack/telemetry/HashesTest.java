package dev.escrowstack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HashesTest {

    @Test
    void sha256MatchesTheKnownVector() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Hashes.sha256Hex("abc"));
    }

    @Test
    void walletRpcSpanNamesAreRecognised() {
        assertTrue(SpanNames.isWalletRpc(SpanNames.walletRpc("make_multisig")));
        assertFalse(SpanNames.isWalletRpc(SpanNames.LEASE_ACQUIRE));
    }
}
