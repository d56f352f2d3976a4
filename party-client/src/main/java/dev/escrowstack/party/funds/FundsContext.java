package dev.escrowstack.party.funds;

import dev.escrowstack.party.mailbox.FundsMailbox;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.setup.PartyException;
import dev.escrowstack.party.setup.StateStore;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.party.wallet.WalletRpc;
import dev.escrowstack.telemetry.Hashes;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;

/** One funds command's run: the party, its wallet, the service, the state file, the progress stream and one deadline. */
final class FundsContext {

    final String escrowId;
    final String role;
    final WalletRpc wallet;
    final FundsMailbox mailbox;
    final Tracer tracer;
    final PrintStream progress;
    final Duration maxWait;
    /** --wait-seconds bounds the whole run (sync, stale retries, the signer's turn, PAID), not each wait in it. */
    final Instant deadline;
    private final StateStore store;
    FundsState state;

    FundsContext(String escrowId, String role, WalletRpc wallet, FundsMailbox mailbox, StateStore store, Duration maxWait,
            Tracer tracer, PrintStream progress) {
        this.escrowId = escrowId;
        this.role = role;
        this.wallet = wallet;
        this.mailbox = mailbox;
        this.store = store;
        this.maxWait = maxWait;
        this.deadline = Instant.now().plus(maxWait);
        this.tracer = tracer;
        this.progress = progress;
    }

    void load() {
        FundsState loaded = store.read(FundsState.class);
        state = loaded == null ? FundsState.fresh(escrowId, role) : loaded;
    }

    StateStore store() {
        return store;
    }

    void save() {
        store.save(state);
    }

    boolean pastDeadline() {
        return Instant.now().isAfter(deadline);
    }

    /** Seconds a long-poll may still take, at most the service's long-poll. */
    int pollSeconds() {
        long left = Duration.between(Instant.now(), deadline).toSeconds();
        return (int) Math.max(1, Math.min(FundsMailbox.LONG_POLL_SECONDS, left));
    }

    void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartyException(PartyException.ERROR, "interrupted");
        }
    }

    PartyException timedOut(String what) {
        return new PartyException(PartyException.TIMED_OUT, what + " after " + maxWait.toSeconds()
                + " s; run the same command again to keep waiting (nothing is lost)");
    }

    /** A refused token in words; any other refusal as the service put it. */
    PartyException authOrPlain(MailboxException e) {
        if (e.status() == 401 || e.status() == 403 && !"not-the-builder".equals(e.type())) {
            return new PartyException(PartyException.ERROR, "escrow-service refused the token (HTTP " + e.status() + "): it is not "
                    + role + "'s token for escrow " + escrowId + " (the other party's, another escrow's, or mistyped)");
        }
        return new PartyException(PartyException.ERROR, e.getMessage());
    }

    /** What progress shows of an info or a transaction set: a prefix of its SHA-256, never the thing itself. */
    static String sha(String secret) {
        return "sha256 " + Hashes.sha256Hex(secret).substring(0, 12) + "…";
    }
}
