package dev.escrowstack.gateway.operations;

import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.gateway.rpc.TracedWalletRpc;
import dev.escrowstack.gateway.wallet.WalletPasswords;

/**
 * Forwards a JSON-RPC request to the leased wallet unchanged and returns the wallet's reply unchanged
 * (error objects included), so an existing wallet-RPC client works inside a lease. Only methods that
 * act on the open wallet pass; anything that would switch, close, re-key or re-point the wallet (and
 * so break the lease's exclusivity) is refused, and so is every method not known to be safe.
 * <p>
 * The wallet's password is the gateway's, never the caller's: monero-wallet-rpc 0.18 re-encrypts the keys
 * file with the {@code password} of {@code make_multisig} and {@code exchange_multisig_keys}, so a caller's
 * value there would lock the gateway out of the wallet for good. On those methods the gateway puts in the
 * wallet's derived password, whatever the caller sent (the caller's value is neither kept nor logged).
 */
@ApplicationScoped
public class PassThrough {

    static final Set<String> ALLOWED = Set.of(
            "get_version", "get_balance", "get_address", "get_address_index", "get_accounts", "get_height",
            "validate_address", "refresh", "store", "is_multisig", "prepare_multisig", "make_multisig",
            "exchange_multisig_keys", "export_multisig_info", "import_multisig_info", "sign_multisig",
            "submit_multisig", "describe_transfer", "transfer", "transfer_split", "get_transfers",
            "get_transfer_by_txid", "incoming_transfers", "get_payments", "get_bulk_payments", "make_integrated_address",
            "split_integrated_address", "rescan_spent", "get_attribute", "get_tx_key", "check_tx_key", "get_tx_proof",
            "check_tx_proof");

    /** The allowed methods that take the wallet's password (every one in 0.18's wallet_rpc_server_commands_defs.h). */
    static final Set<String> TAKES_WALLET_PASSWORD = Set.of("make_multisig", "exchange_multisig_keys");

    /** Refused with a reason, because a client may reasonably try them. */
    static final Map<String, String> DENIED = Map.ofEntries(
            Map.entry("open_wallet", "switches the process to another wallet"),
            Map.entry("close_wallet", "closes the leased wallet under the lease"),
            Map.entry("create_wallet", "switches the process to a new wallet; ask for a new wallet in the lease instead"),
            Map.entry("restore_deterministic_wallet", "switches the process to another wallet"),
            Map.entry("generate_from_keys", "switches the process to another wallet"),
            Map.entry("stop_wallet", "stops a process the gateway owns"),
            Map.entry("change_wallet_password", "the gateway derives wallet passwords"),
            Map.entry("query_key", "exports key material"),
            Map.entry("set_daemon", "re-points a process the gateway configures"),
            Map.entry("sweep_all", "not allowed through the gateway"),
            Map.entry("relay_tx", "not allowed through the gateway"));

    private final LeasedCall guard;
    private final TracedWalletRpc rpc;
    private final WalletPasswords passwords;

    public PassThrough(LeasedCall guard, TracedWalletRpc rpc, WalletPasswords passwords) {
        this.guard = guard;
        this.rpc = rpc;
        this.passwords = passwords;
    }

    public JsonNode forward(String lease, Long token, String role, JsonNode request) {
        if (request == null || !request.isObject()) {
            throw ProblemException.badRequest("the body must be one JSON-RPC request object (batches are not supported)");
        }
        JsonNode method = request.get("method");
        if (method == null || !method.isTextual() || method.asText().isBlank()) {
            throw ProblemException.badRequest("the JSON-RPC request has no \"method\"");
        }
        String name = method.asText();
        if (!ALLOWED.contains(name)) {
            String why = DENIED.getOrDefault(name, "it is not on the gateway's allow-list");
            throw new ProblemException(403, "method-not-allowed", "Wallet RPC method refused",
                    "'" + (name.length() > 64 ? name.substring(0, 64) + "…" : name) + "' is refused under a lease: " + why)
                    .with("rpc_method", name.length() > 64 ? null : name);
        }
        return guard.run(lease, token, role, name,
                t -> rpc.forward(t.process().endpoint(), t.context(), name, withWalletPassword(name, request, t.wallet().walletId())));
    }

    private JsonNode withWalletPassword(String method, JsonNode request, String walletId) {
        if (!TAKES_WALLET_PASSWORD.contains(method)) {
            return request;
        }
        ObjectNode copy = request.deepCopy();
        ObjectNode params = copy.get("params") instanceof ObjectNode given ? given : copy.putObject("params");
        params.put("password", passwords.passwordFor(walletId));
        return copy;
    }
}
