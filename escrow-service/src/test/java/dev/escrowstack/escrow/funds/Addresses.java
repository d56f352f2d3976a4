package dev.escrowstack.escrow.funds;

import java.util.Arrays;

/** Well-formed mainnet addresses for tests that need several distinct ones (no wallet behind them). */
public final class Addresses {

    private Addresses() {
    }

    public static String mainnet(int seed) {
        byte[] body = new byte[65];
        Arrays.fill(body, (byte) seed);
        body[0] = 18;
        byte[] raw = Arrays.copyOf(body, body.length + 4);
        System.arraycopy(Keccak256.hash(body), 0, raw, body.length, 4);
        return MoneroBase58.encode(raw);
    }
}
