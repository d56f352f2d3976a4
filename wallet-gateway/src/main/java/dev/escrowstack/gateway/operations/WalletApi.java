package dev.escrowstack.gateway.operations;

import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * Request and response bodies of the typed wallet operations (JSON in snake_case). Multisig infos
 * are key material: they travel in these bodies and nowhere else; spans get their SHA-256.
 */
public final class WalletApi {

    private WalletApi() {
    }

    @Schema(description = "A wallet's state, as the skill's snapshots record it")
    public record WalletState(String role, String walletId, int port, boolean isMultisig, boolean ready, int threshold,
            int total, String address, String addressHash, long balance, long unlockedBalance, boolean fileExists,
            long collectionTimeMs,
            @Schema(description = "Permissions of the wallet's keys file, octal as ls shows them (\"600\"); null when it is missing") String filePerms,
            @Schema(description = "Wallets open in the wallet-rpc process that answered: 1, or 0 when it has none open") int openWalletsCount) {
    }

    public record MultisigInfo(
            @Schema(description = "Round-1 multisig info (key material: pass it to the other participants only)") String multisigInfo,
            String multisigInfoSha256) {
    }

    public record MakeMultisig(
            @Schema(description = "The OTHER participants' round-1 infos, in a canonical order") @NotNull @NotEmpty @Size(max = 16) List<@NotBlank String> multisigInfo,
            @Schema(description = "Signatures needed to spend, 2 for a 2-of-3 escrow") @Min(1) @Max(16) int threshold) {
    }

    public record ExchangeKeys(@NotNull @NotEmpty @Size(max = 16) List<@NotBlank String> multisigInfo) {
    }

    @Schema(description = "Result of make_multisig or exchange_multisig_keys; address is empty until the last round")
    public record MultisigStep(String address, String multisigInfo, String multisigInfoSha256) {
    }

    public record ExportedInfo(String info, String infoSha256) {
    }

    public record ImportInfo(@NotNull @NotEmpty @Size(max = 16) List<@NotBlank String> info) {
    }

    public record Imported(long nOutputs) {
    }

    public record Destination(@NotBlank @Size(max = 256) String address, @Positive long amount) {
    }

    public record Transfer(@NotNull @NotEmpty @Size(max = 16) List<@Valid Destination> destinations,
            @Min(0) @Max(4) Integer priority) {
    }

    @Schema(description = "For a multisig wallet, multisig_txset must be signed by another participant and submitted")
    public record Transferred(String txHash, long fee, long amount, String multisigTxset) {
    }

    public record TxSet(@NotBlank String txDataHex) {
    }

    public record Signed(String txDataHex, List<String> txHashList) {
    }

    public record Submitted(List<String> txHashList) {
    }

    @Schema(description = "What a multisig tx set spends (amount_in) and pays: its recipients, the fee and any change")
    public record Described(long amountIn, long amountOut, long fee, long changeAmount, List<Recipient> recipients) {
    }

    public record Recipient(String address, long amount) {
    }

    public record Refreshed(long blocksFetched, boolean receivedMoney) {
    }

    @Schema(description = "Send everything the wallet holds to one address, less the network fee")
    public record Sweep(@NotBlank @Size(max = 256) String address, @Min(0) @Max(4) Integer priority) {
    }

    @Schema(description = "For a multisig wallet, multisig_txset must be signed by another participant and submitted")
    public record Swept(List<String> txHashList, long fee, long amount, String multisigTxset) {
    }

    @Schema(description = "One transfer as the wallet sees it: in (confirmed), pool (incoming, unconfirmed), out, pending (outgoing, unconfirmed)")
    public record TransferEntry(String type, String txHash, long amount, long fee, long confirmations, long height) {
    }

    public record Transfers(List<TransferEntry> transfers) {
    }
}
