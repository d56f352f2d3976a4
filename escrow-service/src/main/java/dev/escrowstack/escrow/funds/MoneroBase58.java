package dev.escrowstack.escrow.funds;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * Monero's base58 (src/common/base58.cpp): the data in blocks of 8 bytes, each written as 11 characters,
 * the last block shorter. Addresses and multisig kex messages are written in it.
 */
public final class MoneroBase58 {

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    /** Characters that encode 0..8 bytes; a full 8-byte block is 11 characters. */
    private static final int[] ENCODED_BLOCK = { 0, 2, 3, 5, 6, 7, 9, 10, 11 };

    private MoneroBase58() {
    }

    /** The bytes {@code text} encodes; null when it is not Monero base58. */
    public static byte[] decode(String text) {
        int fullBlocks = text.length() / 11;
        int lastChars = text.length() % 11;
        int lastBytes = Arrays.stream(ENCODED_BLOCK).boxed().toList().indexOf(lastChars);
        if (lastBytes < 0) {
            return null;
        }
        byte[] out = new byte[fullBlocks * 8 + lastBytes];
        for (int block = 0; block <= fullBlocks; block++) {
            int chars = block < fullBlocks ? 11 : lastChars;
            int bytes = block < fullBlocks ? 8 : lastBytes;
            if (chars == 0) {
                continue;
            }
            BigInteger value = BigInteger.ZERO;
            for (int i = 0; i < chars; i++) {
                int digit = ALPHABET.indexOf(text.charAt(block * 11 + i));
                if (digit < 0) {
                    return null;
                }
                value = value.multiply(BASE).add(BigInteger.valueOf(digit));
            }
            if (value.bitLength() > bytes * 8) {
                return null;
            }
            byte[] be = value.toByteArray();
            int copy = Math.min(be.length, bytes);
            System.arraycopy(be, be.length - copy, out, block * 8 + bytes - copy, copy);
        }
        return out;
    }

    /** The inverse of {@link #decode}. */
    public static String encode(byte[] data) {
        StringBuilder sb = new StringBuilder();
        for (int offset = 0; offset < data.length; offset += 8) {
            int bytes = Math.min(8, data.length - offset);
            BigInteger value = new BigInteger(1, Arrays.copyOfRange(data, offset, offset + bytes));
            char[] block = new char[ENCODED_BLOCK[bytes]];
            Arrays.fill(block, ALPHABET.charAt(0));
            for (int i = block.length - 1; i >= 0 && value.signum() > 0; i--) {
                BigInteger[] qr = value.divideAndRemainder(BASE);
                block[i] = ALPHABET.charAt(qr[1].intValue());
                value = qr[0];
            }
            sb.append(block);
        }
        return sb.toString();
    }
}
