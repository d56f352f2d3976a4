package dev.escrowstack.escrow.funds;

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
        byte[] raw = MoneroBase58.decode(address);
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
}
