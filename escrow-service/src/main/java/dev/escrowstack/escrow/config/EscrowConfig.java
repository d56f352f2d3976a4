package dev.escrowstack.escrow.config;

import java.time.Duration;

import jakarta.validation.constraints.Min;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * escrow-service settings (environment: {@code ESCROW_MAX_AMOUNT=…}). The funds path and fault injection keep
 * theirs beside their code ({@code FundsConfig}, {@code FaultConfig}), so this package depends on no feature.
 */
@ConfigMapping(prefix = "escrow")
public interface EscrowConfig {

    /** Largest amount accepted, in atomic units (piconero); the default is 1,000,000 XMR. */
    @WithDefault("1000000000000000000")
    long maxAmount();

    Setup setup();

    Instrumentation instrumentation();

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

        /**
         * Custodial setups: how many attempts one init may take. After a fault whose outcome is unknown (a
         * wallet-rpc that died or hung under a call, a lost answer, a gateway restart) the attempt's wallets are
         * abandoned and the setup starts over on three new ones; 1 turns that off.
         */
        @WithDefault("3")
        @Min(1)
        int attempts();

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
