package dev.escrowstack.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** Everything the gateway can be told, by environment variable ({@code GATEWAY_POOL_SIZE=…}) or property. */
@ConfigMapping(prefix = "gateway")
public interface GatewayConfig {

    /** Where wallets, process directories, pid files and the fencing log live. */
    @WithDefault("data/wallet-gateway")
    Path dataDir();

    /** Bearer token every {@code /v1} call must present. */
    String apiToken();

    /**
     * Secret from which wallet passwords are derived (HMAC-SHA256 of the wallet id). It must stay
     * the same across restarts, or existing wallets can no longer be opened.
     */
    String walletSecret();

    Pool pool();

    /**
     * Dev and test profiles only (GATEWAY_FAULT=shared-instance): reproduce the skill's Pattern B — every
     * leased call goes to ONE extra monero-wallet-rpc, which switches wallets with open_wallet and has no
     * lock, as the systems the skill describes did. Refused in prod.
     */
    Optional<Fault> fault();

    enum Fault {
        SHARED_INSTANCE
    }

    Wallets wallets();

    Leases leases();

    Rpc rpc();

    interface Pool {
        /** Number of monero-wallet-rpc processes. */
        @WithDefault("6")
        int size();

        /** First port tried; ports in use are skipped. */
        @WithDefault("18082")
        int basePort();

        /** How many ports from base-port on may be tried. */
        @WithDefault("100")
        int portRange();

        @WithDefault("monero-wallet-rpc")
        String binary();

        /** mainnet (also what a regtest daemon needs), stagenet or testnet. */
        @WithDefault("stagenet")
        NetworkType network();

        /** host:port of a monerod; without it the processes run {@code --offline}. */
        Optional<String> daemonAddress();

        /** How long a process may take to answer its first get_version. */
        @WithDefault("30s")
        Duration startTimeout();

        @WithDefault("5s")
        Duration healthInterval();

        /** Consecutive failed health probes before a process is killed and restarted. */
        @WithDefault("2")
        int healthFailures();

        /** A single call running longer than this marks the process hung; it is killed and restarted. */
        @WithDefault("300s")
        Duration hungAfter();

        /** Between SIGTERM and SIGKILL when stopping a process. */
        @WithDefault("10s")
        Duration stopTimeout();

        @WithDefault("1s")
        Duration restartBackoffMin();

        @WithDefault("30s")
        Duration restartBackoffMax();

        /** monero-wallet-rpc --log-level (0-4). */
        @WithDefault("0")
        int logLevel();
    }

    interface Wallets {
        /** Fresh wallets kept open in idle processes so that a lease for a new wallet does not wait for create_wallet. */
        @WithDefault("3")
        int spares();

        /**
         * While any lease is active, spares are refilled only below this many: creating a wallet is 2–5 s
         * of CPU that, on a small machine, a running setup needs more. Idle, the keeper fills up to
         * {@code spares}.
         */
        @WithDefault("3")
        int minSparesWhileBusy();

        /**
         * While no lease is active, how many spares the keeper makes at once, each in a process of its own.
         * monero-wallet-rpc makes a wallet on one core (its RSA key), so one at a time left the other cores
         * idle while the pool warmed up. While leases are active it is always one.
         */
        @WithDefault("2")
        int refillParallelism();

        /**
         * How long a wallet that a lease named (an existing wallet: a funding check, a payout, a non-custodial
         * round) stays parked after its release before the spare keeper may close it to move a stored spare back
         * into a process (to make a missing spare, it may at any time). Its next lease then needs no
         * {@code open_wallet}; closed at once, every such lease cost two (the wallet, then the displaced spare).
         * 0 closes it at once.
         */
        @WithDefault("2m")
        Duration keepNamedParked();

        /** How often the spare keeper checks; it only works while no lease request is waiting. */
        @WithDefault("1s")
        Duration refillInterval();
    }

    interface Leases {
        @WithName("default-ttl")
        @WithDefault("120s")
        Duration defaultTtl();

        @WithDefault("3600s")
        Duration maxTtl();

        @WithDefault("30s")
        Duration defaultWait();

        @WithDefault("300s")
        Duration maxWait();

        /** Retry-After sent with a 503 when a wait runs out. */
        @WithDefault("2s")
        Duration retryAfter();
    }

    interface Rpc {
        /** Timeout of one wallet RPC call (create/open included). */
        @WithDefault("120s")
        Duration callTimeout();

        @WithDefault("5s")
        Duration probeTimeout();
    }

    enum NetworkType {
        mainnet, stagenet, testnet;

        /** The command-line flag monero-wallet-rpc expects, or none for mainnet. */
        public Optional<String> flag() {
            return this == mainnet ? Optional.empty() : Optional.of("--" + name());
        }
    }
}
