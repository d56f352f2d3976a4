package dev.escrowstack.party.funds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.escrowstack.party.mailbox.FundsView;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.mailbox.PayoutTask;
import dev.escrowstack.party.setup.PartyException;
import dev.escrowstack.telemetry.Hashes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code sign}: the buyer on a release, the vendor on a refund, a dispute's winner. Syncs when needed, waits for its
 * turn, checks with its own wallet where the transaction set pays ({@link TxsetCheck}), signs, submits, reports the tx
 * hashes. The signed set is saved before submit_multisig and the hashes before they are reported, so a rerun after a
 * kill submits that same transaction (never a second signature) or only reports.
 */
final class PayoutSigner {

    private static final Duration EARLY_RETRY = Duration.ofSeconds(2);

    private final FundsContext ctx;
    private final EpochSync sync;

    PayoutSigner(FundsContext ctx, EpochSync sync) {
        this.ctx = ctx;
        this.sync = sync;
    }

    /** The payout's tx hashes; {@code payoutAddress} (or null: the payee's recorded one) is what the set must pay. */
    List<String> run(String payoutAddress) {
        FundsState.Signed signed = ctx.state.signed;
        if (signed != null && !signed.txHashes.isEmpty()) {
            ctx.progress.println("payout " + signed.kind + ": submitted before by this " + ctx.role + " (tx "
                    + String.join(", ", signed.txHashes) + "): nothing is signed or submitted again");
            return report(signed);
        }
        FundsView view = ctx.mailbox.funds();
        if (view.payout() != null && view.payout().submitted()) {
            Progress.payout(ctx.progress, view.payout());
            return view.payout().txHashes();
        }
        if (needsSync(view)) {
            sync.run();
        }
        PayoutTask task = awaitTurn();
        if (task.submitted()) {
            Progress.payout(ctx.progress, task);
            return task.txHashes();
        }
        String txset = task.multisigTxset();
        check(task, payoutAddress);
        String sha = Hashes.sha256Hex(txset);
        if (signed == null || !sha.equals(signed.txsetSha256) || signed.signedTxDataHex == null) {
            JsonNode result = ctx.wallet.call("sign_multisig", Map.of("tx_data_hex", txset));
            signed = new FundsState.Signed();
            signed.kind = task.kind();
            signed.epoch = task.epoch();
            signed.txsetSha256 = sha;
            signed.signedTxDataHex = result.path("tx_data_hex").asText("");
            if (signed.signedTxDataHex.isEmpty()) {
                throw new PartyException(PartyException.ERROR, "payout " + task.kind() + ": sign_multisig returned no tx_data_hex");
            }
            ctx.state.signed = signed;
            ctx.save();
            ctx.progress.println("payout " + task.kind() + ": signed (" + FundsContext.sha(signed.signedTxDataHex) + ")");
        } else {
            ctx.progress.println("payout " + task.kind() + ": signed before (" + FundsContext.sha(signed.signedTxDataHex)
                    + "): submitting that same transaction");
        }
        List<String> hashes = new ArrayList<>();
        ctx.wallet.call("submit_multisig", Map.of("tx_data_hex", signed.signedTxDataHex)).path("tx_hash_list")
                .forEach(h -> hashes.add(h.asText()));
        if (hashes.isEmpty()) {
            throw new PartyException(PartyException.ERROR, "payout " + task.kind() + ": submit_multisig returned no tx hash");
        }
        signed.txHashes = hashes;
        ctx.save(); // before the service hears of it: a rerun from here only reports
        ctx.progress.println("payout " + task.kind() + ": submitted, tx " + String.join(", ", hashes));
        return report(signed);
    }

    /**
     * This party must sync when the service has not its export and import of the current epoch (a release's builder waits
     * for that export; a dispute's ruling is built from it), or when its wallet says an import is needed. A run that
     * reported this epoch's import already skips it.
     */
    private boolean needsSync(FundsView view) {
        FundsState.Imported done = ctx.state.imports.get(view.epoch());
        if (done != null && done.reported) {
            return false;
        }
        if (!view.synced(ctx.role)) {
            return true;
        }
        return ctx.wallet.call("get_balance", Map.of("account_index", 0)).path("multisig_import_needed").asBoolean(false);
    }

    /** Long-polls GET payout until the set is this party's to sign (or is sent already); a stale answer runs a sync once. */
    private PayoutTask awaitTurn() {
        boolean resynced = false;
        String shown = null;
        for (int wait = 0; ; wait = ctx.pollSeconds()) {
            Instant asked = Instant.now();
            PayoutTask task;
            try {
                task = ctx.mailbox.fetchPayout(wait);
            } catch (MailboxException e) {
                if (e.is(409, "stale-multisig-data")) {
                    List<String> stale = Progress.roles(e.field("stale_roles"));
                    int epoch = e.field("epoch").asInt(0);
                    if (resynced) {
                        throw new PartyException(PartyException.REFUSED, "payout: the service still says this " + ctx.role
                                + " has not imported epoch " + epoch + "'s infos after a sync (409 stale-multisig-data): "
                                + e.getMessage());
                    }
                    ctx.progress.println("payout: the service says " + (stale.isEmpty() ? "this " + ctx.role : "the "
                            + String.join(", the ", stale)) + " has not imported epoch " + epoch + " (409 stale-multisig-data):"
                            + " syncing first");
                    sync.run();
                    resynced = true;
                    continue;
                }
                if (e.status() == 404 && !"escrow-not-found".equals(e.type())) {
                    task = null; // no payout yet
                } else {
                    throw ctx.authOrPlain(e);
                }
            }
            if (task != null && task.submitted()) {
                return task;
            }
            if (task != null && task.exists() && task.signer() != null && !ctx.role.equalsIgnoreCase(task.signer())) {
                throw new PartyException(PartyException.REFUSED, "payout " + task.kind() + ": the " + task.signer() + " signs it, not"
                        + " this " + ctx.role + " (" + task.state() + ")");
            }
            if (task != null && PayoutTask.AWAITING_SIGNATURE.equals(task.state()) && task.multisigTxset() != null) {
                return task;
            }
            String line = task == null || !task.exists() ? "payout: none yet; waiting for one to be built…"
                    : Progress.line(task);
            if (!line.equals(shown)) {
                ctx.progress.println(line);
                shown = line;
            }
            if (ctx.pastDeadline()) {
                throw ctx.timedOut(task == null || !task.exists() ? "payout: still none to sign" : "payout " + task.kind()
                        + ": not yet this " + ctx.role + "'s to sign (" + task.state() + ")");
            }
            if (wait > 0 && Duration.between(asked, Instant.now()).toSeconds() < wait / 2) {
                ctx.sleep(EARLY_RETRY);
            }
        }
    }

    /** Refuses (exit 1) a set whose destination this party's own wallet does not confirm. */
    private void check(PayoutTask task, String payoutAddress) {
        String payee = FundsView.payee(task.kind());
        String expected = payoutAddress;
        String whose = "the address given with --payout-address";
        if (expected == null) {
            expected = ctx.mailbox.funds().payeeAddress(task.kind());
            whose = "the " + payee + "'s recorded payout address";
        }
        if (expected == null || expected.isBlank()) {
            throw new PartyException(PartyException.REFUSED, "payout " + task.kind() + ": no " + payee + " payout address is recorded"
                    + " to check the transaction set against; give it with --payout-address");
        }
        TxsetCheck check = TxsetCheck.of(ctx.wallet.call("describe_transfer", Map.of("multisig_txset", task.multisigTxset())),
                expected);
        if (!check.ok()) {
            throw new PartyException(PartyException.REFUSED, "payout " + task.kind() + ": refusing to sign: " + check.refusal()
                    + " (expected " + whose + "; built by the " + task.builder() + ", " + FundsContext.sha(task.multisigTxset())
                    + "). Nothing was signed");
        }
        ctx.progress.println("payout " + task.kind() + ": checked with this wallet: pays " + check.amount() + " to " + expected
                + " (" + whose + "), fee " + check.fee() + ", no change");
    }

    /** PUT payout/submitted once (the hashes are saved already); the tx hashes. */
    private List<String> report(FundsState.Signed signed) {
        if (!signed.reported) {
            PayoutTask task;
            try {
                task = ctx.mailbox.submitTxHashes(signed.txHashes);
            } catch (MailboxException e) {
                if (e.status() != 409) {
                    throw ctx.authOrPlain(e);
                }
                // The service moved on (it saw the transaction itself, say): its view is what counts now.
                ctx.progress.println("payout " + signed.kind + ": the service answered " + e.type() + " to the tx hashes");
                task = ctx.mailbox.funds().payout();
            }
            signed.reported = true;
            ctx.save();
            if (task != null) {
                Progress.payout(ctx.progress, task);
            }
        }
        return signed.txHashes;
    }
}
