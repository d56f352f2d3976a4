package dev.escrowstack.gateway.lease;

import java.util.Arrays;
import java.util.Optional;

/** The parties of a 2-of-3 escrow; a lease names the wallets it wants by role. */
public enum Role {
    buyer, vendor, arbiter;

    public static Optional<Role> parse(String name) {
        return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.toString(values());
    }
}
