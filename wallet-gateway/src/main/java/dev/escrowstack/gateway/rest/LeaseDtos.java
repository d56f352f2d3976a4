package dev.escrowstack.gateway.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.escrowstack.gateway.lease.Lease;
import dev.escrowstack.gateway.lease.LeaseIncident;
import dev.escrowstack.gateway.lease.LeasedWallet;

/** Bodies of the lease endpoints. */
public final class LeaseDtos {

    private LeaseDtos() {
    }

    @Schema(description = "Ask for all the wallets an escrow needs at once")
    public record CreateLease(
            @Schema(description = "Who holds the lease: the escrow id", example = "esc-42")
            @NotBlank @Size(max = 128) @Pattern(regexp = "[A-Za-z0-9_.:-]+") String holder,
            @Schema(description = "Per role (buyer, vendor, arbiter): {} for a new wallet, or {\"wallet_id\": …} for an existing one")
            @NotNull @NotEmpty @Size(max = 3) Map<String, @Valid @NotNull WalletWanted> wallets,
            @Schema(description = "Lease lifetime; default 120, renew before it runs out") @Positive Integer ttlSeconds,
            @Schema(description = "How long to wait in line for free processes; default 30; 0 = do not wait") Integer waitSeconds) {
    }

    public record WalletWanted(@Schema(description = "Existing wallet id; omit for a new wallet") @Size(max = 64) String walletId) {
    }

    public record Renew(@Positive Integer ttlSeconds) {
    }

    public record LeasedWalletView(String walletId, int port, int process, boolean created, String unavailable,
            @Schema(description = "This wallet's wallet-RPC URL through the pass-through (a client appends /json_rpc, as for"
                    + " monero-wallet-rpc); in the grant only") @JsonInclude(JsonInclude.Include.NON_NULL) String rpcUrl) {
    }

    @Schema(description = "The lease's wallet-RPC login (HTTP digest, as monero-wallet-rpc's --rpc-login): valid for this lease"
            + " and its fencing token only, for every role's rpc_url")
    public record RpcLogin(String username, String password) {
    }

    public record LeaseView(String leaseId, String holder, long fencingToken, String state, Instant acquiredAt,
            Instant expiresAt, Instant endedAt, long waitedMs, Map<String, LeasedWalletView> wallets,
            List<LeaseIncident> incidents,
            @Schema(description = "In the grant only: a secret of the holder's, never shown again")
            @JsonInclude(JsonInclude.Include.NON_NULL) RpcLogin rpcLogin) {

        static LeaseView of(Lease lease) {
            return of(lease, null, null);
        }

        /** The grant: every role's rpc_url under {@code base} (the gateway as the caller reached it) and the login. */
        static LeaseView granted(Lease lease, String base, RpcLogin login) {
            return of(lease, base, login);
        }

        private static LeaseView of(Lease lease, String base, RpcLogin login) {
            Map<String, LeasedWalletView> wallets = new TreeMap<>();
            for (LeasedWallet w : lease.wallets().values()) {
                String rpcUrl = base == null ? null : base + "v1/leases/" + lease.id() + "/wallets/" + w.role().name();
                wallets.put(w.role().name(), new LeasedWalletView(w.walletId(), w.process().port(), w.process().index(),
                        w.created(), w.unavailable(), rpcUrl));
            }
            Lease.Status status = lease.status(); // one snapshot, so state, expiry and end agree
            return new LeaseView(lease.id(), lease.holder(), lease.fencingToken(), status.state().name(), lease.acquiredAt(),
                    status.expiresAt(), status.endedAt(), lease.waitedMillis(), wallets, List.copyOf(lease.incidents()), login);
        }
    }
}
