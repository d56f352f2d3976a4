package dev.escrowstack.party.funds;

import dev.escrowstack.party.mailbox.FundsMailbox;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.setup.StateStore;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.party.wallet.WalletRpc;
import dev.escrowstack.telemetry.EscrowAttributes;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/**
 * The funds commands of one party for one escrow: {@code sync}, {@code release}, {@code refund}, {@code sign}. Each runs
 * under the funds state file's lock (a second client for the same escrow and role stops at once) and answers the lines
 * for stdout: the tx hashes, when there are some.
 */
public final class FundsCommand {

    private final FundsContext ctx;

    /** {@code store}: the funds state file, e.g. {@code new StateStore(dir, escrow, role, "-funds")}. */
    public FundsCommand(String escrowId, String role, WalletRpc wallet, FundsMailbox mailbox, StateStore store, Duration maxWait,
            Tracer tracer, PrintStream progress) {
        this.ctx = new FundsContext(escrowId, role, wallet, mailbox, store, maxWait, tracer, progress);
    }

    /** Exports, waits for the others' exports of the epoch, imports them: nothing on stdout. */
    public List<String> sync() {
        return locked(() -> {
            new EpochSync(ctx).run();
            return List.of();
        });
    }

    /** {@code kind} release (the vendor) or refund (the buyer); {@code waitForPaid}: wait for PAID and answer the tx hashes. */
    public List<String> build(String kind, boolean waitForPaid) {
        return locked(() -> new PayoutBuilder(ctx, new EpochSync(ctx)).run(kind, waitForPaid));
    }

    /** {@code payoutAddress}: the address the payout must pay, or null for the payee's recorded one. */
    public List<String> sign(String payoutAddress) {
        return locked(() -> new PayoutSigner(ctx, new EpochSync(ctx)).run(payoutAddress));
    }

    private List<String> locked(Supplier<List<String>> command) {
        try (StateStore.Lock lock = ctx.store().lock()) {
            ctx.load();
            ctx.tracer.context(EscrowAttributes.ESCROW_ID, ctx.escrowId).context(EscrowAttributes.ESCROW_ROLE, ctx.role);
            return command.get();
        } catch (MailboxException e) {
            throw ctx.authOrPlain(e);
        } finally {
            ctx.tracer.context(EscrowAttributes.PARTY_PAYOUT_EPOCH, null);
            ctx.tracer.flush();
        }
    }
}
