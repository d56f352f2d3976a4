package dev.escrowstack.party.funds;

import dev.escrowstack.party.mailbox.FundsView;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.mailbox.SyncView;
import dev.escrowstack.party.setup.PartyException;
import dev.escrowstack.telemetry.EscrowAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The party's part of a sync epoch (/tmp spec "Sync epochs"): refresh, export_multisig_info, PUT it, wait until the
 * others' exports this party needs are in, import_multisig_info, report what it imported. Each step is saved: a rerun
 * re-sends the saved export (200 from the service) and never exports again for that epoch, since a second export
 * would differ and the service keeps the first; an epoch whose import was reported is done.
 */
final class EpochSync {

    private static final Duration EARLY_RETRY = Duration.ofSeconds(1);
    /** The service opens epochs rarely (funding, dispute, refused set, re-issue); more moves than this in one run is a loop. */
    private static final int MAX_EPOCH_MOVES = 5;

    private final FundsContext ctx;

    EpochSync(FundsContext ctx) {
        this.ctx = ctx;
    }

    /** Syncs the service's current epoch, following it when the service opens a newer one; the epoch synced. */
    int run() {
        FundsView view = ctx.mailbox.funds();
        int epoch = Math.max(1, view.epoch()); // epoch 1 opens lazily, on the first call after funding
        FundsState.Imported mine = ctx.state.imports.get(epoch);
        if ((mine == null || !mine.reported) && view.epoch() > 0 && view.synced(ctx.role)) {
            // Synced by another run (another --state-dir, or a state file lost after the report): nothing to redo.
            ctx.progress.println("sync epoch " + epoch + ": done (the service has this " + ctx.role + "'s export and import)");
            return epoch;
        }
        for (int moves = 0; ; moves++) {
            try {
                sync(epoch);
                return epoch;
            } catch (MailboxException e) {
                if (!e.is(409, "epoch-not-current") || moves >= MAX_EPOCH_MOVES) {
                    throw explain(e, epoch);
                }
                int current = e.field("current_epoch").asInt(0);
                int next = current > 0 ? current : ctx.mailbox.funds().epoch();
                ctx.progress.println("sync epoch " + epoch + ": over, the service is at epoch " + next + " (409 epoch-not-current)");
                epoch = next;
            }
        }
    }

    private void sync(int epoch) {
        ctx.tracer.context(EscrowAttributes.PARTY_PAYOUT_EPOCH, (long) epoch);
        String prefix = "sync epoch " + epoch + ": ";
        FundsState.Imported imported = ctx.state.imports.get(epoch);
        if (imported != null && imported.reported) {
            ctx.progress.println(prefix + "done before (imported from " + String.join(", ", imported.from) + ")");
            return;
        }
        if (imported == null) {
            String info = ctx.state.exports.get(epoch);
            String line;
            if (info == null) {
                ctx.wallet.call("refresh", Map.of()); // the export must cover every output the wallet can see
                info = ctx.wallet.call("export_multisig_info", Map.of()).path("info").asText("");
                if (info.isEmpty()) {
                    throw new PartyException(PartyException.ERROR, prefix + "the wallet's export_multisig_info returned no info");
                }
                ctx.state.exports.put(epoch, info);
                ctx.save();
                line = prefix + "exported (" + FundsContext.sha(info) + ")";
            } else {
                line = prefix + "exported before (" + FundsContext.sha(info) + ")";
            }
            line += ctx.mailbox.submitExport(epoch, info) ? ", sent" : ", sent (the service had it already)";
            SyncView view = awaitComplete(epoch, line);
            imported = new FundsState.Imported();
            imported.from = view.from();
            imported.nOutputs = ctx.wallet.call("import_multisig_info", Map.of("info", view.infos())).path("n_outputs").asInt();
            ctx.state.imports.put(epoch, imported);
            ctx.save();
        }
        ctx.mailbox.submitImported(epoch, imported.nOutputs, imported.from);
        imported.reported = true;
        ctx.save();
        ctx.progress.println(prefix + "imported " + imported.nOutputs + (imported.nOutputs == 1 ? " output" : " outputs")
                + " from " + String.join(", ", imported.from));
        ctx.tracer.flush();
    }

    /** A first look without waiting says whom this party waits for (on the export's line); then long-polls. */
    private SyncView awaitComplete(int epoch, String line) {
        List<String> waitingFor = null;
        for (int wait = 0; ; wait = ctx.pollSeconds()) {
            Instant asked = Instant.now();
            SyncView view = ctx.mailbox.fetchSync(epoch, wait);
            if (view.complete()) {
                if (view.infos().isEmpty() || view.infos().size() != view.from().size()) {
                    throw new PartyException(PartyException.ERROR, "sync epoch " + epoch + ": the service returned "
                            + view.infos().size() + " infos from " + view.from() + ": expected the others' exports, one each");
                }
                ctx.progress.println(waitingFor == null ? line : "sync epoch " + epoch + ": complete");
                return view;
            }
            if (!view.waitingFor().equals(waitingFor)) {
                String whom = view.waitingFor().isEmpty() ? "the epoch to complete" : "the " + String.join(", the ", view.waitingFor());
                ctx.progress.println((waitingFor == null ? line + "; " : "sync epoch " + epoch + ": ") + "waiting for " + whom + "…");
                waitingFor = view.waitingFor();
            }
            if (ctx.pastDeadline()) {
                throw ctx.timedOut("sync epoch " + epoch + ": still waiting for the " + String.join(", the ", waitingFor)
                        + " to export");
            }
            if (wait > 0 && Duration.between(asked, Instant.now()).toSeconds() < wait / 2) {
                ctx.sleep(EARLY_RETRY); // a long-poll that came back early and incomplete: no busy loop
            }
        }
    }

    private PartyException explain(MailboxException e, int epoch) {
        if (e.is(409, "info-differs")) {
            return new PartyException(PartyException.ERROR, "sync epoch " + epoch + ": the service has a different export of this "
                    + ctx.role + " for epoch " + epoch + " (409 info-differs), and the first one counts: another client synced as "
                    + ctx.role + " (another machine or --state-dir), or this machine lost " + ctx.store().file()
                    + ". This wallet cannot sync epoch " + epoch + " again; a new epoch (after a refused transaction set or a"
                    + " re-issue) lets it");
        }
        if (e.is(409, "escrow-state-conflict")) {
            String status;
            try {
                status = ctx.mailbox.funds().status();
            } catch (MailboxException unknown) {
                status = "unknown";
            }
            return new PartyException(PartyException.REFUSED, "sync epoch " + epoch + ": no funds to sync (409"
                    + " escrow-state-conflict): the escrow is " + status + "; a sync is for a FUNDED, DISPUTED or PAYOUT_PENDING"
                    + " escrow");
        }
        return ctx.authOrPlain(e);
    }
}
