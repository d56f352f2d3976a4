package dev.escrowstack.escrow.funds;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.funds.MoneroAddress.Network;

class MoneroAddressTest {

    /** The Monero project's general-fund donation address, published on getmonero.org. */
    static final String DONATION = "44AFFq5kSiGBoZ4NMDwYtN18obc8AemS33DBLWs3H7otXft3XjrpDtQGv7SqSsaBYBb98uNbr2VBBEt7f2wfn3RVGQBEP3A";

    @Test
    void keccakIsTheOriginalPaddingNotSha3() {
        assertEquals("c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470",
                HexFormat.of().formatHex(Keccak256.hash(new byte[0])));
        assertEquals("4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15",
                HexFormat.of().formatHex(Keccak256.hash("The quick brown fox jumps over the lazy dog".getBytes())));
        byte[] twoBlocks = new byte[200]; // longer than one 136-byte block
        assertEquals(64, HexFormat.of().formatHex(Keccak256.hash(twoBlocks)).length());
    }

    @Test
    void aPublishedMainnetAddressIsValid() {
        assertEquals(java.util.Optional.empty(), MoneroAddress.problem(DONATION, Network.MAINNET));
        assertTrue(MoneroAddress.problem(DONATION, Network.TESTNET).orElseThrow().contains("not a testnet address"));
    }

    @Test
    void typosAndJunkAreNamed() {
        String typo = DONATION.substring(0, 50) + (DONATION.charAt(50) == 'a' ? 'b' : 'a') + DONATION.substring(51);
        assertTrue(MoneroAddress.problem(typo, Network.MAINNET).orElseThrow().contains("checksum"));
        assertTrue(MoneroAddress.problem(DONATION.substring(1), Network.MAINNET).orElseThrow().contains("95 or 106"));
        assertTrue(MoneroAddress.problem(DONATION.replace('4', '0'), Network.MAINNET).orElseThrow().contains("base58"));
        assertTrue(MoneroAddress.problem("", Network.MAINNET).isPresent());
        assertTrue(MoneroAddress.problem(null, Network.MAINNET).isPresent());
    }

    @Test
    void subaddressesAndIntegratedAddressesOfTheNetworkAreAccepted() {
        for (int prefix : new int[] { 42, 19 }) {
            byte[] body = new byte[prefix == 19 ? 73 : 65];
            Arrays.fill(body, (byte) 7);
            body[0] = (byte) prefix;
            byte[] raw = Arrays.copyOf(body, body.length + 4);
            System.arraycopy(Keccak256.hash(body), 0, raw, body.length, 4);
            String address = MoneroBase58.encode(raw);
            assertEquals(prefix == 19 ? 106 : 95, address.length());
            assertEquals(java.util.Optional.empty(), MoneroAddress.problem(address, Network.MAINNET), address);
            assertArrayEquals(raw, MoneroBase58.decode(address));
        }
    }
}
