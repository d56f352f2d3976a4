package dev.escrowstack.telemetry;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The parties of a 2-of-3 escrow. Lower-case constants because the name is the wire form everywhere: the
 * {@code escrow.role} span attribute, the event file's {@code role}, the gateway's lease request and the
 * escrow API. One enum for every producer and reader, so a role is never a string literal that can drift.
 */
public enum Role {
    buyer, vendor, arbiter;

    /** The setup's canonical order: rounds run over the wallets in this order, and infos are passed in it. */
    public static final List<Role> ALL = List.of(values());

    public static Optional<Role> parse(String name) {
        return Arrays.stream(values()).filter(r -> r.name().equals(name)).findFirst();
    }

    public static String names() {
        return Arrays.toString(values());
    }
}
