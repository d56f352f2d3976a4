package dev.escrowstack.analyzer.diagnosis;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;

/** The fixes and their rationale, in one place so the CLI, the JSON and trace-exporter say the same. */
public final class Texts {

    static final String FIX_A = "Give every setup fresh wallets: lease them from wallet-gateway (its spares are created fresh and"
            + " are never multisig) instead of reusing a wallet an RPC instance still has open. Where an instance must be reused,"
            + " close_wallet + open_wallet the new wallet and check is_multisig == false before prepare_multisig.";
    static final String WHY_A = "The multisig state lives in the wallet, not in a timing window: longer delays between operations"
            + " only make the failure rarer. Checking is_multisig before round 1 turns a random failure into a clear refusal.";
    static final String FIX_B = "Give each wallet its own monero-wallet-rpc process under an exclusive lease (wallet-gateway leases"
            + " all of an escrow's wallets at once and checks a fencing token on every call); never switch wallets with open_wallet"
            + " on a shared instance. If an instance must be shared, hold one lock (the skill's WALLET_CREATION_LOCK) across"
            + " open_wallet and every call that follows it.";
    static final String WHY_B = "A monero-wallet-rpc process has one open wallet for all its clients: open_wallet by one escrow"
            + " switches it under the others' feet, so which wallet answers a call depends on timing — the failures look random"
            + " and only appear under concurrency.";
    static final String FIX_C = "Send each wallet exactly the OTHER two participants' infos from the previous step, in a canonical"
            + " (sorted) order, and compare their SHA-256 with the infos the peers produced before calling make_multisig or"
            + " exchange_multisig_keys.";
    static final String WHY_C = "monero-wallet-rpc accepts a set that holds the wallet's own info or a stranger's; nothing fails"
            + " until a later round, where the wallets disagree on the keys and the address. The hashes show which wallet got what"
            + " without exposing key material.";

    private Texts() {
    }

    /** "+123ms": an event's offset from the start of its file. */
    public static String at(EscrowFile file, Event e) {
        return "+" + (e.timestamp() - file.start()) + "ms";
    }

    /** {@code text} ending in one full stop, whether or not the wallet's error message brought its own. */
    public static String sentence(String text) {
        return text.endsWith(".") ? text : text + ".";
    }

    /** The first 12 hex digits of a hash, enough to tell infos apart in a sentence. */
    public static String shortHash(String hash) {
        return hash == null ? "?" : hash.length() > 12 ? hash.substring(0, 12) + "…" : hash;
    }
}
