package dev.escrowstack.gateway.lease;

import java.time.Duration;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.wallet.WalletStore;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;

/**
 * The one place a lease request is validated: what a client asked for becomes a {@link LeaseRequest}
 * the lease core can trust, or a problem (400 for a malformed ask, 404 for a wallet nobody has).
 */
@ApplicationScoped
public class LeaseRequests {

    private final GatewayConfig config;
    private final WalletStore store;
    private final LeaseRegistry registry;

    public LeaseRequests(GatewayConfig config, WalletStore store, LeaseRegistry registry) {
        this.config = config;
        this.store = store;
        this.registry = registry;
    }

    /**
     * {@code wallets}: per role name, an existing wallet id or empty for a new wallet. Null TTL and wait
     * take the configured defaults.
     */
    public LeaseRequest of(String holder, Map<String, Optional<String>> wallets, Integer ttlSeconds, Integer waitSeconds) {
        Map<Role, Optional<String>> byRole = new EnumMap<>(Role.class);
        wallets.forEach((name, id) -> {
            Role role = Role.parse(name).orElseThrow(() -> ProblemException
                    .badRequest("unknown role '" + name + "' in wallets; roles are " + Role.names()).with("field", "wallets"));
            if (id.isPresent() && !WalletStore.validId(id.get())) {
                throw ProblemException.badRequest("wallets." + name + ".wallet_id is not a wallet id").with("field",
                        "wallets." + name + ".wallet_id");
            }
            byRole.put(role, id);
        });
        if (byRole.size() > config.pool().size()) {
            throw ProblemException.badRequest("asks for " + byRole.size() + " wallets; the pool has " + config.pool().size());
        }
        Duration wait = waitSeconds == null ? config.leases().defaultWait() : Duration.ofSeconds(waitSeconds);
        if (wait.isNegative() || wait.compareTo(config.leases().maxWait()) > 0) {
            throw ProblemException.badRequest("wait_seconds must be between 0 and " + config.leases().maxWait().toSeconds())
                    .with("field", "wait_seconds");
        }
        LeaseRequest request = new LeaseRequest(holder, byRole, ttl(ttlSeconds), wait);
        Set<String> asked = new HashSet<>();
        for (Optional<String> id : request.wallets().values()) {
            if (id.isPresent()) {
                if (!asked.add(id.get())) {
                    throw ProblemException.badRequest("wallet '" + id.get() + "' is asked for twice in one lease");
                }
                if (!exists(id.get())) {
                    throw LeaseProblems.unknownWallet(id.get());
                }
            }
        }
        return request;
    }

    /**
     * Read without the guards of the process that may be moving the wallet, so the order matters. A
     * wallet is held by a lease before its files leave the store, and its files are back in the store
     * before a process lets go of it (ProcessWallets): whoever is not held or parked at the first look
     * is in the store at the second. The third look covers a grant taking it out of the store in between.
     */
    private boolean exists(String walletId) {
        return registry.knows(walletId) || store.existsClosed(walletId) || registry.knows(walletId);
    }

    /** A lease's lifetime, for a new lease or a renewal; null takes the default. */
    public Duration ttl(Integer seconds) {
        Duration ttl = seconds == null ? config.leases().defaultTtl() : Duration.ofSeconds(seconds);
        if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(config.leases().maxTtl()) > 0) {
            throw ProblemException.badRequest("ttl_seconds must be between 1 and " + config.leases().maxTtl().toSeconds())
                    .with("field", "ttl_seconds");
        }
        return ttl;
    }
}
