package dev.escrowstack.escrow.fault;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.transaction.Transactional;

import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowRepository;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.telemetry.EventTypes;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * Deliberate faults for the dev and test profiles. Refused anywhere else: the service will not start
 * with ESCROW_FAULT set in prod, so a forgotten variable cannot corrupt real escrows.
 */
@ApplicationScoped
public class FaultInjection {

    private final Optional<Fault> fault;
    private final EscrowRepository escrows;
    /** Used wallets handed out by CACHE_POLLUTION and not yet returned: each goes to one setup at a time. */
    private final Set<String> handedOut = ConcurrentHashMap.newKeySet();

    public FaultInjection(FaultConfig config, EscrowRepository escrows) {
        this.fault = config.fault();
        this.escrows = escrows;
    }

    /** First of the start observers, so nothing (no wallet-rpc process) is started before the refusal. */
    void refuseInProd(@Observes @Priority(1) StartupEvent event) {
        if (fault.isEmpty()) {
            return;
        }
        List<String> profiles = ConfigUtils.getProfiles();
        if (!profiles.contains("dev") && !profiles.contains("test")) {
            throw new IllegalStateException("ESCROW_FAULT=" + name(fault.get()) + " is refused in profile " + profiles
                    + ": fault injection exists only in the dev and test profiles (QUARKUS_PROFILE=dev)");
        }
        Log.warnf("FAULT INJECTION ON: %s — escrows set up by this instance fail on purpose", name(fault.get()));
    }

    public boolean active(Fault f) {
        return fault.isPresent() && fault.get() == f;
    }

    /**
     * CACHE_POLLUTION: a wallet of an escrow that is already READY (so multisig), to be leased as this
     * setup's buyer wallet — what a shared RPC instance did when it still had the last escrow's wallet open.
     * Empty before the first escrow is READY: that one gets fresh wallets.
     */
    @Transactional
    public Optional<Polluted> pollutedBuyerWallet() {
        if (!active(Fault.CACHE_POLLUTION)) {
            return Optional.empty();
        }
        for (Escrow e : escrows.page(EscrowStatus.READY, 0, 50)) {
            for (String walletId : List.of(e.buyerWalletId, e.vendorWalletId, e.arbiterWalletId)) {
                if (walletId != null && handedOut.add(walletId)) {
                    injected(Fault.CACHE_POLLUTION, Attributes.of(AttributeKey.stringKey("wallet_id"), walletId,
                            AttributeKey.stringKey("source_escrow_id"), e.id));
                    return Optional.of(new Polluted(e.gateway, walletId));
                }
            }
        }
        return Optional.empty();
    }

    /** A used wallet and the gateway pod it is on (the setup must lease there). */
    public record Polluted(String gateway, String walletId) {
    }

    public void returned(Map<Role, String> walletIds) {
        handedOut.removeAll(walletIds.values());
    }

    /** WRONG_INFOS: the arbiter's make_multisig gets its own info in place of the vendor's. */
    public List<String> infosFor(String operation, Role role, Map<Role, String> infos, List<String> correct) {
        if (!active(Fault.WRONG_INFOS) || !operation.equals("make_multisig") || role != Role.arbiter) {
            return correct;
        }
        injected(Fault.WRONG_INFOS, Attributes.of(AttributeKey.stringKey("role"), role.name(),
                AttributeKey.stringKey("operation"), operation));
        return correct.stream().map(i -> i.equals(infos.get(Role.vendor)) ? infos.get(Role.arbiter) : i).sorted().toList();
    }

    /**
     * Says in the escrow's own file that this escrow's failure was made on purpose: a CUSTOM event
     * {@code fault_injected} on the current span (the escrow's), beside what the fault then caused.
     */
    private static void injected(Fault f, Attributes what) {
        Span.current().addEvent(EventTypes.CUSTOM, what.toBuilder().put("name", "fault_injected").put("fault", name(f)).build());
    }

    private static String name(Fault f) {
        return f.name().toLowerCase().replace('_', '-');
    }
}
