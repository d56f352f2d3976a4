package dev.escrowstack.escrow.funds;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks a payout address before any money moves to it: Monero's block-wise base58, a known network
 * prefix (standard, integrated or subaddress) for the configured network, and the Keccak-256 checksum.
 * A typo in an address is caught here, not by a wallet after the escrow is already paying out.
 */
public final class MoneroAddress {

    public enum Network {
        MAINNET(18, 19, 42), TESTNET(53, 54, 63), STAGENET(24, 25, 36);

        final int standard;
        final int integrated;
        final int subaddress;

        Network(int standard, int integrated, int subaddress) {
            this.standard = standard;
            this.integrated = integrated;
            this.subaddress = subaddress;
        }
    }

    private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    private static final BigInteger BASE = BigInteger.valueOf(58);
    /** Characters that encode 0..8 bytes; a full 8-byte block is 11 characters. */
    private static final int[] ENCODED_BLOCK = { 0, 2, 3, 5, 6, 7, 9, 10, 11 };
    private static final int STANDARD_BYTES = 1 + 32 + 32 + 4;
    private static final int INTEGRATED_BYTES = STANDARD_BYTES + 8;

    private MoneroAddress() {
    }

    /** Why {@code address} is no payout address on {@code network}; empty when it is one. */
    public static Optional<String> problem(String address, Network network) {
        if (address == null || address.isBlank()) {
            return Optional.of("is missing");
        }
        if (address.length() != 95 && address.length() != 106) {
            return Optional.of("is not a Monero address: 95 or 106 characters expected, got " + address.length());
        }
        byte[] raw = decode(address);
        if (raw == null) {
            return Optional.of("is not a Monero address: not base58");
        }
        int prefix = raw[0] & 0xff;
        boolean integrated = prefix == network.integrated;
        if (prefix != network.standard && prefix != network.subaddress && !integrated) {
            return Optional.of("is not a " + network.name().toLowerCase(Locale.ROOT) + " address (network byte " + prefix + ")");
        }
        if (raw.length != (integrated ? INTEGRATED_BYTES : STANDARD_BYTES)) {
            return Optional.of("is not a Monero address: wrong length for its type");
        }
        byte[] body = Arrays.copyOf(raw, raw.length - 4);
        byte[] checksum = Arrays.copyOf(Keccak256.hash(body), 4);
        if (!Arrays.equals(checksum, Arrays.copyOfRange(raw, raw.length - 4, raw.length))) {
            return Optional.of("has a wrong checksum (a typo?)");
        }
        return Optional.empty();
    }

    /** Monero's base58: 11-character blocks of 8 bytes each, the last block shorter; null when invalid. */
    static byte[] decode(String text) {
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

    /** The inverse of {@link #decode}, for tests that build addresses. */
    static String encode(byte[] data) {
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
