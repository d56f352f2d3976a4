package dev.escrowstack.gateway.operations;

import static dev.escrowstack.telemetry.EscrowAttributes.MULTISIG_INFO_SHA256;
import static dev.escrowstack.telemetry.EscrowAttributes.MULTISIG_INPUT_SHA256;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.operations.WalletApi.*;
import dev.escrowstack.gateway.rpc.DaemonTip;
import dev.escrowstack.gateway.rpc.TracedWalletRpc;
import dev.escrowstack.gateway.wallet.WalletFileSpans;
import dev.escrowstack.gateway.wallet.WalletPasswords;
import dev.escrowstack.telemetry.Hashes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;

/** The typed wallet operations a lease offers, each one or a few wallet RPC calls. */
@ApplicationScoped
public class WalletOperations {

    /** Refresh calls per refresh at most: a wallet behind by a whole chain still gets it in the first. */
    private static final int MAX_REFRESHES = 5;

    private final LeasedCall guard;
    private final TracedWalletRpc rpc;
    private final WalletPasswords passwords;
    private final GatewayConfig config;
    private final DaemonTip daemonTip;

    public WalletOperations(LeasedCall guard, TracedWalletRpc rpc, WalletPasswords passwords, GatewayConfig config, DaemonTip daemonTip) {
        this.daemonTip = daemonTip;
        this.guard = guard;
        this.rpc = rpc;
        this.passwords = passwords;
        this.config = config;
    }

    public WalletState state(String lease, Long token, String role) {
        return guard.run(lease, token, role, "state", t -> {
            long started = System.nanoTime();
            JsonNode multisig = call(t, "is_multisig", Map.of());
            JsonNode balance = call(t, "get_balance", Map.of("account_index", 0));
            JsonNode address = call(t, "get_address", Map.of("account_index", 0));
            String addr = address.path("address").asText("");
            Path keys = t.process().walletDir().resolve(t.wallet().walletId() + ".keys");
            // One wallet per wallet-rpc process: 1 while it has one open, 0 when it has none (closed after a failure).
            int open = t.process().openWallet().isPresent() ? 1 : 0;
            return new WalletState(role, t.wallet().walletId(), t.process().port(), multisig.path("multisig").asBoolean(),
                    multisig.path("ready").asBoolean(), multisig.path("threshold").asInt(), multisig.path("total").asInt(),
                    addr, addr.isEmpty() ? "" : Hashes.sha256Hex(addr), balance.path("balance").asLong(),
                    balance.path("unlocked_balance").asLong(), Files.exists(keys), (System.nanoTime() - started) / 1_000_000,
                    WalletFileSpans.permissions(keys), open);
        });
    }

    /** Round 1. {@code enable_multisig_experimental}: 0.18 refuses later multisig steps without it. */
    public MultisigInfo prepare(String lease, Long token, String role) {
        return guard.run(lease, token, role, "prepare_multisig", t -> {
            JsonNode r = rpc.call(t.process().endpoint(), t.context(), "prepare_multisig",
                    Map.of("enable_multisig_experimental", true), Attributes.empty(), infoHash("multisig_info"),
                    config.rpc().callTimeout());
            String info = r.path("multisig_info").asText();
            return new MultisigInfo(info, Hashes.sha256Hex(info));
        });
    }

    public MultisigStep make(String lease, Long token, String role, MakeMultisig request) {
        return guard.run(lease, token, role, "make_multisig", t -> step(t, "make_multisig", Map.of(
                "multisig_info", request.multisigInfo(), "threshold", request.threshold(),
                "password", passwords.passwordFor(t.wallet().walletId())), request.multisigInfo()));
    }

    public MultisigStep exchange(String lease, Long token, String role, ExchangeKeys request) {
        return guard.run(lease, token, role, "exchange_multisig_keys", t -> step(t, "exchange_multisig_keys", Map.of(
                "multisig_info", request.multisigInfo(),
                "password", passwords.passwordFor(t.wallet().walletId())), request.multisigInfo()));
    }

    public ExportedInfo export(String lease, Long token, String role) {
        return guard.run(lease, token, role, "export_multisig_info", t -> {
            JsonNode r = rpc.call(t.process().endpoint(), t.context(), "export_multisig_info", Map.of(),
                    Attributes.empty(), infoHash("info"), config.rpc().callTimeout());
            String info = r.path("info").asText();
            return new ExportedInfo(info, Hashes.sha256Hex(info));
        });
    }

    public Imported importInfo(String lease, Long token, String role, ImportInfo request) {
        return guard.run(lease, token, role, "import_multisig_info", t -> {
            JsonNode r = rpc.call(t.process().endpoint(), t.context(), "import_multisig_info",
                    Map.of("info", request.info()), inputHashes(request.info()), null, config.rpc().callTimeout());
            return new Imported(r.path("n_outputs").asLong());
        });
    }

    public Transferred transfer(String lease, Long token, String role, Transfer request) {
        return guard.run(lease, token, role, "transfer", t -> {
            List<Map<String, Object>> destinations = new ArrayList<>();
            request.destinations().forEach(d -> destinations.add(Map.of("address", d.address(), "amount", d.amount())));
            Map<String, Object> params = new LinkedHashMap<>();
            params.put("destinations", destinations);
            params.put("priority", request.priority() == null ? 0 : request.priority());
            JsonNode r = call(t, "transfer", params);
            return new Transferred(r.path("tx_hash").asText(""), r.path("fee").asLong(), r.path("amount").asLong(),
                    r.path("multisig_txset").asText(""));
        });
    }

    public Signed sign(String lease, Long token, String role, TxSet request) {
        return guard.run(lease, token, role, "sign_multisig", t -> {
            JsonNode r = call(t, "sign_multisig", Map.of("tx_data_hex", request.txDataHex()));
            return new Signed(r.path("tx_data_hex").asText(""), strings(r.path("tx_hash_list")));
        });
    }

    public Submitted submit(String lease, Long token, String role, TxSet request) {
        return guard.run(lease, token, role, "submit_multisig", t -> {
            JsonNode r = call(t, "submit_multisig", Map.of("tx_data_hex", request.txDataHex()));
            return new Submitted(strings(r.path("tx_hash_list")));
        });
    }

    /**
     * describe_transfer of a multisig tx set: what it spends and whom it pays, read with this wallet's view key. How
     * the arbiter's wallet checks a tx set a party built before anyone signs it (docs/funds.md).
     */
    public Described describe(String lease, Long token, String role, TxSet request) {
        return guard.run(lease, token, role, "describe_transfer", t -> {
            JsonNode s = call(t, "describe_transfer", Map.of("multisig_txset", request.txDataHex())).path("summary");
            List<Recipient> recipients = new ArrayList<>();
            for (JsonNode r : s.path("recipients")) {
                recipients.add(new Recipient(r.path("address").asText(""), r.path("amount").asLong()));
            }
            return new Described(s.path("amount_in").asLong(), s.path("amount_out").asLong(), s.path("fee").asLong(),
                    s.path("change_amount").asLong(), recipients);
        });
    }

    /** sweep_all of account 0: every output, so a second payout would spend the same key images and be refused. */
    public Swept sweep(String lease, Long token, String role, Sweep request) {
        return guard.run(lease, token, role, "sweep_all", t -> {
            JsonNode r = call(t, "sweep_all", Map.of("address", request.address(), "account_index", 0,
                    "priority", request.priority() == null ? 0 : request.priority()));
            long fee = 0;
            long amount = 0;
            for (JsonNode f : r.path("fee_list")) {
                fee += f.asLong();
            }
            for (JsonNode a : r.path("amount_list")) {
                amount += a.asLong();
            }
            return new Swept(strings(r.path("tx_hash_list")), fee, amount, r.path("multisig_txset").asText(""));
        });
    }

    /** get_transfers, every direction; failed transactions are left out. */
    public Transfers transfers(String lease, Long token, String role) {
        return guard.run(lease, token, role, "get_transfers", t -> {
            JsonNode r = call(t, "get_transfers", Map.of("in", true, "out", true, "pending", true, "pool", true));
            List<TransferEntry> out = new ArrayList<>();
            for (String type : List.of("in", "pool", "out", "pending")) {
                for (JsonNode e : r.path(type)) {
                    out.add(new TransferEntry(type, e.path("txid").asText(""), e.path("amount").asLong(), e.path("fee").asLong(),
                            e.path("confirmations").asLong(), e.path("height").asLong()));
                }
            }
            return new Transfers(out);
        });
    }

    /**
     * refresh until the wallet has the daemon's tip. monero-wallet-rpc 0.18 can answer a refresh short of it: when
     * the daemon's blocks fall outside the wallet's hash chain it resets the chain and ends that refresh early
     * (wallet2 "out_of_hashchain_bounds_error", seen on regtest right after blocks were mined), so a funding check
     * saw 2 confirmations of a transaction 10 deep — also after a refresh that said it fetched no block. So the
     * wallet's height is compared with the daemon's tip as it was before the first refresh, and refresh repeated
     * (bounded) until it is there; without a daemon that answers, until a refresh fetches nothing.
     */
    public Refreshed refresh(String lease, Long token, String role) {
        return guard.run(lease, token, role, "refresh", t -> {
            OptionalLong tip = daemonTip.height();
            long fetched = 0;
            boolean received = false;
            for (int i = 0; i < MAX_REFRESHES; i++) {
                JsonNode r = call(t, "refresh", Map.of());
                long now = r.path("blocks_fetched").asLong();
                fetched += now;
                received |= r.path("received_money").asBoolean();
                boolean atTip = tip.isPresent() ? call(t, "get_height", Map.of()).path("height").asLong() >= tip.getAsLong() : now == 0;
                if (atTip) {
                    break;
                }
            }
            return new Refreshed(fetched, received);
        });
    }

    private MultisigStep step(LeasedCall.Target t, String method, Map<String, ?> params, List<String> inputs) {
        JsonNode r = rpc.call(t.process().endpoint(), t.context(), method, params, inputHashes(inputs),
                infoHash("multisig_info"), config.rpc().callTimeout());
        String info = r.path("multisig_info").asText("");
        return new MultisigStep(r.path("address").asText(""), info, info.isEmpty() ? "" : Hashes.sha256Hex(info));
    }

    private JsonNode call(LeasedCall.Target t, String method, Map<String, ?> params) {
        return rpc.call(t.process().endpoint(), t.context(), method, params);
    }

    private static Attributes inputHashes(List<String> infos) {
        return Attributes.of(AttributeKey.stringArrayKey(MULTISIG_INPUT_SHA256), infos.stream().map(Hashes::sha256Hex).toList());
    }

    private static Function<JsonNode, Attributes> infoHash(String field) {
        return result -> {
            String info = result.path(field).asText("");
            return info.isEmpty() ? Attributes.empty() : Attributes.of(AttributeKey.stringKey(MULTISIG_INFO_SHA256), Hashes.sha256Hex(info));
        };
    }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
