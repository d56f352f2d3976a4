package dev.escrowstack.escrow.parties;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Non-custodial escrows (docs/parties.md). Environment: {@code ESCROW_PARTIES_ROUND_TIMEOUT=…}. */
@ConfigMapping(prefix = "escrow.parties")
public interface PartiesConfig {

    /**
     * Each round must be complete this long after it opened; then the escrow fails, naming whom it waited
     * for. People and their wallets are slower than the service's own: minutes, not seconds.
     */
    @WithDefault("10m")
    Duration roundTimeout();

    /** How often overdue rounds are looked for (the scheduler reads it as {@code escrow.parties.deadline-check}). */
    @WithDefault("5s")
    Duration deadlineCheck();

    /** The longest a party's GET of a round waits for it to complete (its {@code wait} is capped at this). */
    @WithDefault("60s")
    Duration maxWait();

    /** The arbiter wallet's lease for one step of the setup (lease, call, release). */
    @WithDefault("120s")
    Duration leaseWait();

    @WithDefault("120s")
    Duration leaseTtl();

    /**
     * A payout's second signature (the buyer's on a release, the winner's on a resolution) is awaited this long;
     * then the escrow says the signer is overdue, and the arbiter may re-issue a resolution (docs/funds.md).
     */
    @WithDefault("10m")
    Duration signTimeout();

    /** The largest export_multisig_info accepted for a sync epoch (hex; a few hundred characters per output). */
    @WithDefault("1000000")
    int maxSyncInfoLength();

    /** The largest info accepted; a 2-of-3 info of monero-wallet-rpc 0.18 is well under 1 kB. */
    @WithDefault("8000")
    int maxInfoLength();
}
