package dev.escrowstack.escrow.persistence;

import java.util.Locale;
import java.util.Optional;

/** Who holds the escrow's wallets (docs/parties.md). Stored by name, sent in lower case. */
public enum Custody {
    /** The service holds all three wallets in wallet-gateway: the skill's workflow. */
    SERVICE,
    /** Buyer and vendor keep their own wallets; the service holds the arbiter's and coordinates. */
    PARTIES;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Custody> parse(String s) {
        for (Custody c : values()) {
            if (c.wire().equals(s)) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }
}
