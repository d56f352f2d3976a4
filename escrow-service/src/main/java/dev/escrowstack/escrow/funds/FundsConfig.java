package dev.escrowstack.escrow.funds;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The funds path: funding checks, the watcher and payouts (environment: {@code ESCROW_FUNDS_ENABLED=…}). */
@ConfigMapping(prefix = "escrow.funds")
public interface FundsConfig {
    /**
     * Whether wallet-gateway runs its wallets against a daemon (MONEROD=regtest ./stack up sets it). Offline
     * wallets see no funds at all, so funding answers and payouts are refused rather than reported as zero.
     */
    @WithDefault("false")
    boolean enabled();

    /** The network payout addresses must belong to. A regtest chain uses mainnet addresses. */
    @WithDefault("mainnet")
    MoneroAddress.Network network();

    /**
     * Confirmations every incoming transfer needs before the escrow counts as FUNDED. Monero unlocks an
     * output for spending after 10, so fewer only makes FUNDED earlier, not the payout.
     */
    @WithDefault("10")
    int confirmations();

    /** How often the funding watcher and the payout recovery look for work. */
    @WithDefault("10s")
    Duration watchInterval();

    /** Escrows checked at once by the watcher: each check leases a wallet and syncs it with the daemon. */
    @WithDefault("2")
    int watchConcurrency();

    /** An unfunded escrow is checked less often as it ages (a tenth of its age), but at least this often. */
    @WithDefault("5m")
    Duration maxBackoff();

    /** Full attempts (export, import, build, sign, submit) a payout gets before it is given back. */
    @WithDefault("2")
    int payoutAttempts();

    /** How long a payout or funding check may wait for the escrow's wallets. */
    @WithDefault("60s")
    Duration leaseWait();

    /** Lease lifetime for a payout; a payout takes seconds, so this only matters if the service dies in one. */
    @WithDefault("300s")
    Duration leaseTtl();
}
