package dev.escrowstack.escrow.parties;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import dev.escrowstack.escrow.funds.MoneroBase58;

/**
 * The mailbox's reading of kex messages, on messages laid out as monero-wallet-rpc 0.18 writes them
 * (random bytes where keys and signatures go: the reader takes none of them apart). PartiesSetupTest reads
 * real ones, from real wallets, in every round.
 */
class KexMessageTest {

    private static final byte[] SIGNER_A = filled(0x11, 32);
    private static final byte[] SIGNER_B = filled(0x22, 32);

    @Test
    void roundOneNamesItsSigner() {
        KexMessage m = KexMessage.parse(round1(SIGNER_A)).orElseThrow();
        assertEquals(1, m.round());
        assertEquals(HexFormat.of().formatHex(SIGNER_A), m.signer());
        assertEquals(64, m.signerSha256().length());
    }

    @Test
    void laterRoundsNameTheirRoundAndTheSameSignerForTheSameWallet() {
        KexMessage two = KexMessage.parse(roundN(2, 2, SIGNER_A)).orElseThrow();
        KexMessage three = KexMessage.parse(roundN(3, 2, SIGNER_A)).orElseThrow();
        assertEquals(2, two.round());
        assertEquals(3, three.round());
        assertEquals(KexMessage.parse(round1(SIGNER_A)).orElseThrow().signer(), two.signer());
        assertNotEquals(two.signer(), KexMessage.parse(roundN(2, 2, SIGNER_B)).orElseThrow().signer());
        assertEquals(200, KexMessage.parse(roundN(200, 1, SIGNER_A)).orElseThrow().round(), "a round past 127 takes two varint bytes");
    }

    @Test
    void whatIsNoKexMessageIsRefused() {
        String good = round1(SIGNER_A);
        assertTrue(KexMessage.parse(null).isEmpty());
        assertTrue(KexMessage.parse(KexMessage.MAGIC).isEmpty());
        assertTrue(KexMessage.parse("MultisigV1" + good.substring(13)).isEmpty(), "another magic");
        assertTrue(KexMessage.parse(good.substring(0, good.length() - 11)).isEmpty(), "a truncated body");
        assertTrue(KexMessage.parse(KexMessage.MAGIC + "x" + good.substring(13)).isEmpty(), "an unknown round marker");
        assertTrue(KexMessage.parse(good.substring(0, 20) + "0" + good.substring(21)).isEmpty(), "0 is not base58");
        String roundTwo = roundN(2, 2, SIGNER_A);
        assertTrue(KexMessage.parse(KexMessage.MAGIC + "1" + roundTwo.substring(13)).isEmpty(), "a later round's body marked as round 1");
        assertTrue(KexMessage.parse(roundN(1, 2, SIGNER_A)).isEmpty(), "round 1 in the later rounds' form");
        byte[] body = MoneroBase58.decode(roundTwo.substring(13));
        body[1] = 3; // one key more than the body holds
        assertTrue(KexMessage.parse(KexMessage.MAGIC + "n" + MoneroBase58.encode(body)).isEmpty(), "a key count past the end");
    }

    static String round1(byte[] signer) {
        return KexMessage.MAGIC + "1" + MoneroBase58.encode(concat(filled(0x5a, 32), signer, filled(0x77, 64)));
    }

    static String roundN(int round, int keys, byte[] signer) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (int v = round; ; v >>>= 7) { // varint, as Monero writes it
            if (v < 0x80) {
                body.write(v);
                break;
            }
            body.write((v & 0x7f) | 0x80);
        }
        body.write(keys);
        for (int i = 0; i < keys; i++) {
            body.writeBytes(filled(0x30 + i, 32));
        }
        body.writeBytes(signer);
        body.writeBytes(filled(0x77, 64));
        return KexMessage.MAGIC + "n" + MoneroBase58.encode(body.toByteArray());
    }

    private static byte[] filled(int value, int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
