package dev.escrowstack.escrow.funds;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.client.GatewayBusy;
import dev.escrowstack.escrow.client.GatewayCallFailed;
import dev.escrowstack.escrow.client.GatewayModels.Lease;
import dev.escrowstack.escrow.client.GatewayModels.WalletState;
import dev.escrowstack.escrow.client.WalletGateway;
import dev.escrowstack.escrow.config.EscrowConfig;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.service.EscrowProblems;
import dev.escrowstack.problem.ProblemException;

/**
 * GET /api/escrow/{id}/funding: leases the escrow's arbiter wallet (by id, like any wallet call),
 * refreshes it against the daemon and reads its balance. Read-only: it changes no escrow state.
 */
@ApplicationScoped
public class FundingCheck {

    private static final String ROLE = "arbiter";
    private static final Duration LEASE_TTL = Duration.ofSeconds(60);
    private static final Duration LEASE_WAIT = Duration.ofSeconds(30);

    private final WalletGateway gateway;
    private final boolean enabled;

    public FundingCheck(WalletGateway gateway, EscrowConfig config) {
        this.gateway = gateway;
        this.enabled = config.funds().enabled();
    }

    public FundingStatus check(Escrow escrow) {
        if (!enabled) {
            throw new ProblemException(409, "funds-disabled", "Funds path disabled", "the wallets run offline, so they cannot see"
                    + " funds: start the stack with a daemon (MONEROD=regtest ./stack up) or set ESCROW_FUNDS_ENABLED=true when"
                    + " wallet-gateway has GATEWAY_POOL_DAEMON_ADDRESS").with("escrow_id", escrow.id);
        }
        if (escrow.status != EscrowStatus.READY) {
            throw new ProblemException(409, "escrow-not-ready", "Escrow not ready",
                    "escrow " + escrow.id + " is " + escrow.status + ": only a READY escrow has a multisig address to fund")
                    .with("escrow_id", escrow.id).with("status", escrow.status.name());
        }
        Lease lease;
        try {
            lease = gateway.acquire(escrow.id + ":funding", List.of(ROLE), Map.of(ROLE, escrow.arbiterWalletId), LEASE_TTL, LEASE_WAIT);
        } catch (GatewayBusy busy) {
            throw EscrowProblems.busy(escrow.id, busy.getMessage(), busy.retryAfter());
        } catch (GatewayCallFailed failed) {
            throw EscrowProblems.leaseFailed(escrow.id, failed.getMessage());
        }
        try {
            gateway.refresh(lease, ROLE);
            WalletState state = gateway.state(lease, ROLE);
            return new FundingStatus(escrow.id, escrow.multisigAddress, escrow.amount, state.balance(), state.unlockedBalance(),
                    FundingStatus.of(escrow.amount, state.balance(), state.unlockedBalance()));
        } catch (GatewayCallFailed failed) {
            throw new ProblemException(502, "funding-unknown", "Funding unknown", "the escrow's wallet could not sync with the daemon: "
                    + failed.getMessage()).with("escrow_id", escrow.id);
        } finally {
            gateway.release(lease);
        }
    }
}
