package dev.escrowstack.escrow.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.funds.PayoutAddress;
import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.service.EscrowStore;
import dev.escrowstack.escrow.service.NewEscrow;
import dev.escrowstack.telemetry.Role;

/** Bodies of the escrow API, snake_case on the wire as in the skill's curl. */
public final class EscrowDtos {

    static final String PARTY_ID = "[A-Za-z0-9_.-]+";

    private EscrowDtos() {
    }

    @Schema(description = "Open a 2-of-3 escrow between a buyer and a vendor, with the service's arbiter as third key")
    public record InitRequest(
            @Schema(example = "buyer1", description = "1-64 characters of [A-Za-z0-9_.-]")
            @NotBlank @Size(max = 64) @Pattern(regexp = PARTY_ID, message = "must be 1-64 characters of [A-Za-z0-9_.-]") String buyerId,
            @Schema(example = "vendor1", description = "1-64 characters of [A-Za-z0-9_.-], not the buyer")
            @NotBlank @Size(max = 64) @Pattern(regexp = PARTY_ID, message = "must be 1-64 characters of [A-Za-z0-9_.-]") String vendorId,
            @Schema(example = "1000000", description = "Atomic units (piconero), a positive whole number below escrow.max-amount")
            @NotNull @Positive Long amount,
            @Schema(description = "Optional: where a refund (or a dispute won by the buyer) pays; can be set later") @Size(max = 128) @PayoutAddress String buyerPayoutAddress,
            @Schema(description = "Optional: where a release (or a dispute won by the vendor) pays; can be set later") @Size(max = 128) @PayoutAddress String vendorPayoutAddress,
            @Schema(description = "Who holds the wallets: service (default: all three in wallet-gateway, the setup runs now) or"
                    + " parties (buyer and vendor bring their own; the answer is AWAITING_PARTIES with each party's token —"
                    + " docs/parties.md)", enumeration = { "service", "parties" })
            @Pattern(regexp = "service|parties", message = "must be service or parties") String custody) {

        /** The service's command; called after validation, so the amount is there. */
        public NewEscrow toCommand() {
            return new NewEscrow(buyerId, vendorId, amount, buyerPayoutAddress, vendorPayoutAddress,
                    custody == null ? Custody.SERVICE : Custody.parse(custody).orElseThrow());
        }
    }

    @Schema(description = "Where and why a setup failed: round, role, operation and error say where it surfaced (the first"
            + " wallet call that failed); surfaced adds every wallet that failed and one sentence; root_cause is the analyzer's"
            + " diagnosis (pattern, wallet and role at fault, round, state before, evidence, fix) — the same answer as the 502"
            + " problem body, ERROR_FINAL in the escrow's file, the analyzer CLI and the diagnosis API")
    public record FailureView(Integer round, String role, String operation, Integer walletRpcErrorCode, String error,
            Map<String, Object> surfaced, Map<String, Object> rootCause) {

        private static final ObjectMapper JSON = new ObjectMapper();

        @SuppressWarnings("unchecked")
        static FailureView of(Escrow e) {
            Map<String, Object> diagnosis = Map.of();
            if (e.diagnosisJson != null) {
                try {
                    diagnosis = JSON.readValue(e.diagnosisJson, Map.class);
                } catch (JsonProcessingException unreadable) {
                    diagnosis = Map.of(); // written by this class's counterpart: only a hand-edited row gets here
                }
            }
            return new FailureView(e.failureRound, e.failureRole, e.failureOperation, e.failureCode, e.failureError,
                    (Map<String, Object>) diagnosis.get("surfaced"), (Map<String, Object>) diagnosis.get("root_cause"));
        }
    }

    /** A non-custodial escrow's payout as the marketplace and the arbiter see it: who is awaited, since when. */
    public record PartiesPayoutView(Integer syncEpoch, String waitingFor, Instant since, Instant deadline, boolean overdue,
            String txsetSha256, String ruling, Integer rulingEpoch) {

        static PartiesPayoutView of(Escrow e) {
            if (e.syncEpoch == null) {
                return null;
            }
            boolean awaiting = e.status == EscrowStatus.PAYOUT_PENDING && !Boolean.TRUE.equals(e.payoutSubmitting) && e.payoutSigner != null;
            return new PartiesPayoutView(e.syncEpoch, awaiting ? e.payoutSigner : e.resolveWinner, awaiting ? e.payoutStartedAt : null,
                    awaiting ? e.payoutDeadline : null, awaiting && e.payoutDeadline != null && Instant.now().isAfter(e.payoutDeadline),
                    e.payoutTxsetSha256, e.resolveWinner, e.resolveEpoch);
        }
    }

    public record EscrowView(String escrowId, String status, String buyerId, String vendorId, long amount,
            @Schema(description = "The 2-of-3 address all three wallets share (READY only)") String multisigAddress,
            @Schema(description = "Gateway wallet id per role (buyer, vendor, arbiter), from the moment the setup leased them: a FAILED escrow names the wallets its setup used") Map<String, String> wallets,
            @Schema(description = "The wallet-gateway pod (host:port) that holds the three wallets") String gateway,
            Instant createdAt, Instant updatedAt, Long setupDurationMs, FailureView failure,
            String buyerPayoutAddress, String vendorPayoutAddress,
            @Schema(description = "The last funding check (funds path only)") FundingView funding,
            DisputeView dispute,
            @Schema(description = "The payout, once one was asked for") PayoutSummary payout,
            @Schema(description = "Who asked for the last change a caller made (init, addresses, release, refund, dispute, resolve):"
                    + " the token's subject, or local for the launcher's loopback default") String changedBy,
            @Schema(description = "service or parties (docs/parties.md)") String custody,
            @Schema(description = "Custodial setups: how many attempts the setup took. More than 1 when a fault whose outcome is"
                    + " unknown (a wallet-rpc that died or hung under a call, a lost answer, a gateway restart) made it start over"
                    + " on three new wallets; the escrow then healed instead of failing") int attempts,
            @Schema(description = "Each abandoned attempt: attempt, fault, round, role, operation, wallet_id (the wallet whose call"
                    + " hit the fault), wallets (the attempt's three, never handed out as new again), reason, at")
            @JsonInclude(JsonInclude.Include.NON_EMPTY) List<Map<String, Object>> abandonedAttempts,
            @Schema(description = "Custody parties, in the answer to init only: each party's token for the Party-Token header."
                    + " Stored as SHA-256 only: not shown again (POST /{id}/parties/{role}/token issues a new one)")
            @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, String> partyTokens,
            @Schema(description = "Custody parties, once funds are synced: the sync epoch, the payout awaiting a party's signature"
                    + " (who, since when, until when, overdue) and an arbiter's ruling waiting for the winner's sync")
            @JsonInclude(JsonInclude.Include.NON_NULL) PartiesPayoutView partiesPayout) {

        public static EscrowView of(Escrow e) {
            return of(e, Map.of());
        }

        /** With the parties' tokens, for the answer to a custody-parties init. */
        public static EscrowView of(Escrow e, Map<Role, String> partyTokens) {
            Map<String, String> wallets = e.buyerWalletId == null && e.arbiterWalletId == null ? null : walletsOf(e);
            FailureView failure = e.failureOperation == null ? null : FailureView.of(e);
            FundingView funding = e.fundingCheckedAt == null ? null
                    : new FundingView(e.received, e.unlocked, e.confirmations, e.fundingCheckedAt, e.fundedAt);
            DisputeView dispute = e.disputeRaisedBy == null ? null : new DisputeView(e.disputeRaisedBy, e.disputeReason);
            PayoutSummary payout = e.payoutKind == null && e.payoutError == null ? null
                    : new PayoutSummary(e.payoutKind == null ? null : e.payoutKind.operation(), e.payoutAddress,
                            e.payoutTxHashes == null ? List.of() : List.of(e.payoutTxHashes.split(",")), e.payoutAmount, e.payoutFee,
                            e.paidAt, e.payoutAttempts, e.payoutError);
            return new EscrowView(e.id, e.status.name(), e.buyerId, e.vendorId, e.amount, e.multisigAddress, wallets, e.gateway,
                    e.createdAt, e.updatedAt, e.setupDurationMs, failure, e.buyerPayoutAddress, e.vendorPayoutAddress, funding, dispute,
                    payout, e.changedBy, e.custody.wire(), e.attempts, EscrowStore.abandonedOf(e), tokens(partyTokens),
                    PartiesPayoutView.of(e));
        }

        private static Map<String, String> tokens(Map<Role, String> byRole) {
            Map<String, String> m = new LinkedHashMap<>();
            byRole.forEach((role, token) -> m.put(role.name(), token));
            return m;
        }

        /** Keyed by the role's wire name, in the setup's order. */
        private static Map<String, String> walletsOf(Escrow e) {
            Map<String, String> wallets = new LinkedHashMap<>();
            // A non-custodial escrow has only the arbiter's: the parties' wallets are theirs, not the gateway's.
            Role.ALL.stream().filter(role -> e.walletIdOf(role) != null).forEach(role -> wallets.put(role.name(), e.walletIdOf(role)));
            return wallets;
        }
    }

    public record FundingView(Long received, Long unlocked, Long confirmations, Instant checkedAt, Instant fundedAt) {
    }

    public record DisputeView(String raisedBy, String reason) {
    }

    public record PayoutSummary(String kind, String address, List<String> txHashes, Long amount, Long fee, Instant paidAt,
            Integer attempts, String error) {
    }

    public record EscrowPage(List<EscrowView> items, int page, int size, long total) {
    }
}
