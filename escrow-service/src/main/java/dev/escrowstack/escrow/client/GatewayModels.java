package dev.escrowstack.escrow.client;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.telemetry.Role;

/** The wallet-gateway API's bodies, as escrow-service uses them (snake_case on the wire). */
public final class GatewayModels {

    private GatewayModels() {
    }

    public record LeaseRequest(String holder, Map<Role, Map<String, String>> wallets, long ttlSeconds, long waitSeconds) {
    }

    public record LeasedWallet(String walletId, int port, int process) {
    }

    /** {@code gateway}: the pod that granted it (escrow-service's own field; the gateway does not send it). */
    public record Lease(String leaseId, long fencingToken, Map<Role, LeasedWallet> wallets, String gateway) {

        public Lease on(String pod) {
            return new Lease(leaseId, fencingToken, wallets, pod);
        }

        /** The gateway wallet id of each leased role. */
        public Map<Role, String> walletIds() {
            Map<Role, String> ids = new EnumMap<>(Role.class);
            wallets.forEach((role, wallet) -> ids.put(role, wallet.walletId()));
            return ids;
        }
    }

    public record MultisigInfo(String multisigInfo, String multisigInfoSha256) {
    }

    public record MakeMultisig(List<String> multisigInfo, int threshold) {
    }

    public record ExchangeKeys(List<String> multisigInfo) {
    }

    public record MultisigStep(String address, String multisigInfo, String multisigInfoSha256) {
    }

    public record Refreshed(long blocksFetched, boolean receivedMoney) {
    }

    public record WalletState(String role, String walletId, int port, boolean isMultisig, boolean ready, int threshold,
            int total, String address, String addressHash, long balance, long unlockedBalance, boolean fileExists,
            long collectionTimeMs, String filePerms, Integer openWalletsCount) {
    }

    // The funds path. Exported infos and tx sets are key material: they pass through escrow-service's memory only.

    public record ExportedInfo(String info, String infoSha256) {
    }

    public record ImportInfo(List<String> info) {
    }

    public record Imported(long nOutputs) {
    }

    public record Sweep(String address, Integer priority) {
    }

    public record Swept(List<String> txHashList, long fee, long amount, String multisigTxset) {
    }

    public record TxSet(String txDataHex) {
    }

    public record Signed(String txDataHex, List<String> txHashList) {
    }

    public record Submitted(List<String> txHashList) {
    }

    /** describe_transfer of a multisig tx set: what it spends and whom it pays. */
    public record Described(long amountIn, long amountOut, long fee, long changeAmount, List<Recipient> recipients) {
    }

    public record Recipient(String address, long amount) {
    }

    /** type: in (confirmed), pool (incoming, unconfirmed), out, pending (outgoing, unconfirmed). */
    public record TransferEntry(String type, String txHash, long amount, long fee, long confirmations, long height) {

        public boolean incoming() {
            return type.equals("in") || type.equals("pool");
        }
    }

    public record Transfers(List<TransferEntry> transfers) {
    }
}
