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
    void aRawInfoIsFoundAndAWalletErrorIsNot() {
        // Built at run time: a made-up info of the right shape, never a real one.
        String fake = "Multisig" + "xV2R1" + "C9Bd2".repeat(8);
        assertEquals(4, Hashes.rawMultisigInfoAt("log " + fake));
        assertEquals(-1, Hashes.rawMultisigInfoAt("Error calling exchange_multisig_info: Multisig post-kex round 2 failed"));
        assertEquals(-1, Hashes.rawMultisigInfoAt("multisig_info_sha256=" + Hashes.sha256Hex(fake)));
    }

    @Test
    void walletRpcSpanNamesAreRecognised() {
        assertTrue(SpanNames.isWalletRpc(SpanNames.walletRpc("make_multisig")));
        assertFalse(SpanNames.isWalletRpc(SpanNames.LEASE_ACQUIRE));
    }
}
