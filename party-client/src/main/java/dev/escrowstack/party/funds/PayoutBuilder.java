package dev.escrowstack.party.funds;

import com.fasterxml.jackson.databind.JsonNode;
import dev.escrowstack.party.mailbox.FundsView;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.mailbox.PayoutTask;
import dev.escrowstack.party.setup.PartyException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code release} (the vendor) and {@code refund} (the buyer): sync, sweep_all to this party's own recorded payout
 * address, PUT the transaction set; the other party signs and submits it. A payout that exists already is reported,
 * never built again. The set is saved before it is sent, so a rerun sends that same set: the wallet's nonces of the
 * epoch went into it, and a second sweep_all would make a different one.
 */
final class PayoutBuilder {

    /** How often a refusal that the other party's sync will lift is retried, and how often PAID is looked for. */
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final FundsContext ctx;
    private final EpochSync sync;

    PayoutBuilder(FundsContext ctx, EpochSync sync) {
        this.ctx = ctx;
        this.sync = sync;
    }

    /** The payout of {@code kind} built or found; with {@code waitForPaid}, its tx hashes once PAID (else an empty list). */
    List<String> run(String kind, boolean waitForPaid) {
        PayoutTask task = ctx.mailbox.funds().payout();
        if (task != null && task.exists()) {
            ctx.progress.println("payout: a " + task.kind() + " exists already (" + task.state() + ", built by the " + task.builder()
                    + " in epoch " + task.epoch() + "): not building another");
            if (!kind.equals(task.kind())) {
                throw new PartyException(PartyException.REFUSED, "this escrow's payout is a " + task.kind() + ", not a " + kind
                        + (task.submitted() ? " (" + task.state() + ", tx " + String.join(", ", task.txHashes()) + ")"
                                : ctx.role.equalsIgnoreCase(task.signer()) ? ": it awaits this " + ctx.role + "'s signature (escrow-party sign"
                                        + " checks and signs it)" : ""));
            }
        } else {
            task = build(kind);
        }
        Progress.payout(ctx.progress, task);
        if (PayoutTask.PAID.equals(task.state())) {
            return task.txHashes();
        }
        return waitForPaid ? awaitPaid(task) : List.of();
    }

    private PayoutTask build(String kind) {
        for (int rebuilt = 0; ; rebuilt++) {
            FundsState.Built built = ctx.state.built;
            int current = ctx.mailbox.funds().epoch();
            if (built == null || !kind.equals(built.kind) || built.epoch != current) {
                built = sweep(kind);
            } else {
                ctx.progress.println("payout " + kind + ": transaction set built before in epoch " + built.epoch + " ("
                        + FundsContext.sha(built.multisigTxset) + "), sending it again");
            }
            try {
                PayoutTask task = submit(kind, built);
                built.accepted = true;
                ctx.save();
                return task;
            } catch (StaleHere stale) {
                FundsState.Imported imported = ctx.state.imports.get(stale.epoch);
                if (rebuilt > 0 || imported != null && imported.reported && stale.epoch == built.epoch) {
                    throw new PartyException(PartyException.REFUSED, "payout " + kind + ": the service says this " + ctx.role
                            + " has not imported epoch " + stale.epoch + "'s infos (409 stale-multisig-data), though it reported"
                            + " importing them" + (imported == null ? "" : " (from " + String.join(", ", imported.from) + ")")
                            + ": " + stale.detail);
                }
                ctx.progress.println("payout " + kind + ": the service says this " + ctx.role + " has not imported epoch "
                        + stale.epoch + " (409 stale-multisig-data): syncing it and building again");
                ctx.state.built = null;
                ctx.save();
            }
        }
    }

    /** sync, then sweep_all to this party's own recorded payout address; the set saved before anything is sent. */
    private FundsState.Built sweep(String kind) {
        int epoch = sync.run();
        FundsView view = ctx.mailbox.funds();
        String address = view.payeeAddress(kind);
        if (address == null || address.isBlank()) {
            throw new PartyException(PartyException.REFUSED, "payout " + kind + ": the service has no " + FundsView.payee(kind)
                    + " payout address recorded for escrow " + ctx.escrowId + " (the marketplace records it)");
        }
        JsonNode result = ctx.wallet.call("sweep_all", Map.of("address", address));
        String txset = result.path("multisig_txset").asText("");
        if (txset.isEmpty()) {
            throw new PartyException(PartyException.ERROR, "payout " + kind + ": sweep_all returned no multisig_txset: is the escrow's"
                    + " multisig wallet the one open in " + ctx.wallet.url() + "?");
        }
        FundsState.Built built = new FundsState.Built();
        built.kind = kind;
        built.epoch = epoch;
        built.multisigTxset = txset;
        ctx.state.built = built;
        ctx.save();
        ctx.progress.println("payout " + kind + ": sweep_all to " + address + " built a transaction set (" + FundsContext.sha(txset)
                + "), amount " + sum(result.path("amount_list")) + ", fee " + sum(result.path("fee_list")));
        return built;
    }

    /**
     * PUT payout. A refusal naming only the other party as stale is lifted by its sync (its {@code sign} runs one): retried
     * until --wait-seconds. One naming this party is thrown as {@link StaleHere}; the rest end the run, said plainly.
     */
    private PayoutTask submit(String kind, FundsState.Built built) {
        List<String> told = null;
        while (true) {
            try {
                PayoutTask task = ctx.mailbox.submitPayout(kind, built.multisigTxset);
                ctx.progress.println("payout " + kind + ": transaction set sent, accepted");
                return task != null ? task : ctx.mailbox.funds().payout();
            } catch (MailboxException e) {
                if (e.is(409, "stale-multisig-data")) {
                    List<String> stale = Progress.roles(e.field("stale_roles"));
                    int epoch = e.field("epoch").asInt(built.epoch);
                    if (stale.isEmpty() || stale.contains(ctx.role)) {
                        throw new StaleHere(epoch, e.getMessage());
                    }
                    String who = "the " + String.join(" and the ", stale);
                    if (!stale.equals(told)) {
                        ctx.progress.println("payout " + kind + ": not yet (409 stale-multisig-data): " + who + " has not imported"
                                + " epoch " + epoch + "'s infos; it must run `escrow-party sync` (its `escrow-party sign` does);"
                                + " retrying every " + RETRY.toSeconds() + " s");
                        told = stale;
                    }
                    if (ctx.pastDeadline()) {
                        throw ctx.timedOut("payout " + kind + ": the service still refuses the transaction set because " + who
                                + " has not imported epoch " + epoch + "'s infos (stale-multisig-data)");
                    }
                    ctx.sleep(RETRY);
                    continue;
                }
                throw refused(kind, e);
            }
        }
    }

    private PartyException refused(String kind, MailboxException e) {
        if (e.is(422, "txset-refused")) {
            // The set is spent: the service opened a new epoch, so the next run syncs that one and builds anew.
            ctx.state.built = null;
            ctx.save();
            String epoch = e.field("epoch").isMissingNode() ? "a new sync epoch" : "sync epoch " + e.field("epoch").asInt();
            return new PartyException(PartyException.REFUSED, "payout " + kind + ": the service refused the transaction set (422"
                    + " txset-refused): " + e.field("reason").asText(e.getMessage()) + ". It opened " + epoch + ": run `escrow-party "
                    + kind + "` again to sync it and build a new set (the other party syncs too)");
        }
        if (e.is(409, "payout-in-progress") || e.is(409, "already-paid-out")) {
            PayoutTask task = ctx.mailbox.funds().payout();
            return new PartyException(PartyException.REFUSED, "payout " + kind + ": " + e.type() + ": "
                    + (task == null ? e.getMessage() : "the service has a " + task.kind() + " " + task.state()
                            + (task.txHashes().isEmpty() ? "" : " (tx " + String.join(", ", task.txHashes()) + ")")));
        }
        if (e.is(409, "payout-address-missing")) {
            return new PartyException(PartyException.REFUSED, "payout " + kind + ": the service has no " + FundsView.payee(kind)
                    + " payout address recorded (409 payout-address-missing): the marketplace records it");
        }
        if (e.is(409, "escrow-state-conflict")) {
            return new PartyException(PartyException.REFUSED, "payout " + kind + ": the escrow is " + ctx.mailbox.funds().status()
                    + ", no payout now (409 escrow-state-conflict)");
        }
        if (e.is(403, "not-the-builder")) {
            return new PartyException(PartyException.REFUSED, "payout " + kind + ": this " + ctx.role + " does not build a " + kind
                    + " (403 not-the-builder): " + e.getMessage());
        }
        return ctx.authOrPlain(e);
    }

    /** Polls the funds view until the payout is PAID: its tx hashes. */
    private List<String> awaitPaid(PayoutTask task) {
        String shown = Progress.line(task);
        while (!PayoutTask.PAID.equals(task.state())) {
            if (ctx.pastDeadline()) {
                throw ctx.timedOut("payout " + task.kind() + ": still " + task.state()
                        + (task.txHashes().isEmpty() ? "" : " (tx " + String.join(", ", task.txHashes()) + ")"));
            }
            ctx.sleep(RETRY);
            PayoutTask now = ctx.mailbox.funds().payout();
            if (now == null || !now.exists() || !task.kind().equals(now.kind())) {
                throw new PartyException(PartyException.REFUSED, "payout " + task.kind() + ": the service no longer has it (now "
                        + (now == null ? "no payout" : now.kind() + " " + now.state()) + "); run the command again to see why");
            }
            task = now;
            if (!Progress.line(task).equals(shown)) {
                shown = Progress.line(task);
                ctx.progress.println(shown);
            }
        }
        return task.txHashes();
    }

    private static long sum(JsonNode list) {
        long total = 0;
        for (JsonNode n : list) {
            total += n.asLong();
        }
        return total;
    }

    /** The service named this party as not having imported the epoch. */
    private static final class StaleHere extends RuntimeException {
        final int epoch;
        final String detail;

        StaleHere(int epoch, String detail) {
            super(detail, null, false, false);
            this.epoch = epoch;
            this.detail = detail;
        }
    }
}
