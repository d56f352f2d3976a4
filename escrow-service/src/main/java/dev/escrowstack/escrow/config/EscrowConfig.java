package dev.escrowstack.escrow.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** escrow-service settings (environment: {@code ESCROW_MAX_AMOUNT=…}). */
@ConfigMapping(prefix = "escrow")
public interface EscrowConfig {

    /** Largest amount accepted, in atomic units (piconero); the default is 1,000,000 XMR. */
    @WithDefault("1000000000000000000")
    long maxAmount();

    Setup setup();

    /**
     * Dev and test profiles only (ESCROW_FAULT=cache-pollution|wrong-infos): reproduce one of the skill's
     * failure patterns on real wallet-rpc, so the analyzer can be checked against it. Refused in prod.
     */
    Optional<dev.escrowstack.escrow.fault.Fault> fault();

    Instrumentation instrumentation();

    Funds funds();

    interface Funds {
        /**
         * Whether wallet-gateway runs its wallets against a daemon (MONEROD=regtest ./stack up sets it). Offline
         * wallets see no funds at all, so funding answers and payouts are refused rather than reported as zero.
         */
        @WithDefault("false")
        boolean enabled();

        /** The network payout addresses must belong to. A regtest chain uses mainnet addresses. */
        @WithDefault("mainnet")
        dev.escrowstack.escrow.funds.MoneroAddress.Network network();

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

    interface Instrumentation {
        /**
         * The skill's ENABLE_INSTRUMENTATION=1: record the seven wallet-state snapshots of every setup as
         * span events. Off, no snapshot call is made at all.
         */
        @WithDefault("${ENABLE_INSTRUMENTATION:false}")
        boolean enabled();
    }

    /**
     * Names this instance on the escrows it sets up. At start, an escrow still INITIALIZING under
     * this name was cut off by our own crash and is failed at once; others are failed when older than
     * the longest possible setup. Stable per machine by default (the host name).
     */
    @WithDefault("${HOSTNAME:escrow-service}")
    String instanceId();

    interface Setup {
        /** Each of the three multisig rounds must finish within this. */
        @WithDefault("60s")
        Duration roundTimeout();

        /** How long an init may wait for the gateway to have three wallets free (503 after that). */
        @WithDefault("120s")
        Duration leaseWait();

        /** Lease lifetime; a setup takes seconds, so this only matters if the service dies mid-setup. */
        @WithDefault("300s")
        Duration leaseTtl();

        /** Bounded parallelism of wallet calls across all setups (three per escrow). */
        @WithDefault("32")
        int walletCallThreads();

        /**
         * How long recording a setup's outcome (its lease, READY, FAILED) is retried while the database is
         * unreachable: the wallets have done their part by then, so a database restart shorter than this
         * loses nothing. After it the client gets a 503, and the escrow is failed later as abandoned.
         */
        @WithDefault("30s")
        Duration recordRetry();
    }
}
