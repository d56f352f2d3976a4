package dev.escrowstack.party.setup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.escrowstack.party.mailbox.Mailbox;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.mailbox.RoundView;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.party.wallet.WalletRpc;
import dev.escrowstack.telemetry.EscrowAttributes;
import dev.escrowstack.telemetry.Hashes;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One party's side of the 2-of-3 setup (docs/parties.md): produce this wallet's info for a round, submit it, fetch the
 * other two, and on to the next round; then report the address and wait for the service's verdict. Every completed
 * step is saved first, so a rerun after a kill continues there: an info already produced is resubmitted (idempotent on
 * the service), a wallet step already done is not repeated.
 */
public final class PartySetup {

    /** The longest wait the service grants a long-poll (it caps ?wait= at 60). */
    private static final int LONG_POLL_SECONDS = 30;
    private static final Duration RETRY = Duration.ofSeconds(1);

    private final String escrowId;
    private final String role;
    private final WalletRpc wallet;
    private final Mailbox mailbox;
    private final StateStore store;
    private final String walletPassword;
    private final Duration maxWait;
    private final Tracer tracer;
    private final PrintStream progress;
    private SetupState state;
    private int round;
    /** A progress line of this round was begun by the step that produced the info; the submission finishes it. */
    private boolean linePending;

    public PartySetup(String escrowId, String role, WalletRpc wallet, Mailbox mailbox, StateStore store, String walletPassword,
            Duration maxWait, Tracer tracer, PrintStream progress) {
        this.escrowId = escrowId;
        this.role = role;
        this.wallet = wallet;
        this.mailbox = mailbox;
        this.store = store;
        this.walletPassword = walletPassword;
        this.maxWait = maxWait;
        this.tracer = tracer;
        this.progress = progress;
    }

    /** Runs (or resumes) the setup to its end; the agreed multisig address when the escrow is READY. */
    public String run() {
        try (StateStore.Lock lock = store.lock()) {
            return runLocked();
        }
    }

    private String runLocked() {
        state = store.load(escrowId, role);
        tracer.context(EscrowAttributes.ESCROW_ID, escrowId).context(EscrowAttributes.ESCROW_ROLE, role);
        if (state.step != Step.NONE) {
            progress.println("resuming " + role + " of escrow " + escrowId + " after: " + state.step.name().toLowerCase()
                    + " (" + store.file() + ")");
        }
        try {
            if (!state.step.reached(Step.ADDRESS_SUBMITTED)) {
                setup();
            }
            return awaitOutcome();
        } catch (MailboxException e) {
            endLine();
            throw explain(e, round);
        } catch (RuntimeException e) {
            endLine();
            throw e;
        } finally {
            tracer.context(EscrowAttributes.ESCROW_ROUND, null);
            tracer.flush();
        }
    }

    private void setup() {
        round(1);
        if (!state.step.reached(Step.PREPARED)) {
            requireMultisig(false, "prepare_multisig");
            state.walletAddress = primaryAddress();
            produced(1, Step.PREPARED, wallet.call("prepare_multisig", Map.of("enable_multisig_experimental", true))
                    .path("multisig_info").asText(), "prepared");
        }
        List<String> others = exchange(1, Step.ROUND1_SUBMITTED);

        round(2);
        if (!state.step.reached(Step.MADE)) {
            requireMultisig(false, "make_multisig");
            requireSameWallet();
            Map<String, Object> params = withPassword(Map.of("multisig_info", others, "threshold", 2));
            produced(2, Step.MADE, wallet.call("make_multisig", params).path("multisig_info").asText(), "make_multisig done");
        } else {
            requireMultisig(true, "make_multisig");
        }
        others = exchange(2, Step.ROUND2_SUBMITTED);

        round(3);
        if (!state.step.reached(Step.EXCHANGED)) {
            produced(3, Step.EXCHANGED, exchangeKeys(others).path("multisig_info").asText(), "exchange_multisig_keys done");
        }
        others = exchange(3, Step.ROUND3_SUBMITTED);

        tracer.context(EscrowAttributes.ESCROW_ROUND, 4L);
        if (!state.step.reached(Step.ADDRESS_COMPUTED)) {
            // Killed after the last exchange but before saving: the wallet is ready already, and knows the address.
            String address = multisig().path("ready").asBoolean() ? null : exchangeKeys(others).path("address").asText(null);
            if (address == null || address.isEmpty()) {
                address = primaryAddress();
            }
            state.address = address;
            save(Step.ADDRESS_COMPUTED);
        }
        mailbox.submitAddress(state.address);
        save(Step.ADDRESS_SUBMITTED);
        progress.println("address: " + state.address + " computed, submitted; waiting for the service to agree…");
        tracer.flush();
    }

    /** An error ends the progress line it interrupted, so its message starts a line of its own. */
    private void endLine() {
        if (linePending) {
            progress.println();
            linePending = false;
        }
    }

    private void round(int round) {
        this.round = round;
        tracer.context(EscrowAttributes.ESCROW_ROUND, (long) round);
    }

    private void produced(int round, Step step, String info, String what) {
        if (info == null || info.isEmpty()) {
            throw new PartyException(PartyException.ERROR, "round " + round + ": the wallet returned no multisig_info");
        }
        state.infos.put(round, info);
        save(step);
        progress.print("round " + round + ": " + what + " (sha256 " + Hashes.sha256Hex(info).substring(0, 6) + "…)");
        linePending = true;
    }

    /** Submits this party's info of the round and long-polls for the other two; the other two infos, in the service's order. */
    private List<String> exchange(int round, Step submitted) {
        String info = state.infos.get(round);
        if (!state.step.reached(Step.PREPARED) || info == null) {
            throw new PartyException(PartyException.ERROR, "the state file " + store.file() + " has no round-" + round + " info");
        }
        if (!linePending) {
            progress.print("round " + round + ": produced before (sha256 " + Hashes.sha256Hex(info).substring(0, 6) + "…)");
            linePending = true;
        }
        boolean fresh = submit(round, info);
        progress.print(fresh ? ", submitted" : ", submitted (the service had it already)");
        if (!state.step.reached(submitted)) {
            save(submitted);
        }
        tracer.flush();
        Instant deadline = Instant.now().plus(maxWait);
        List<String> waitingFor = null;
        // A first look without waiting says at once whom this party waits for; then long-polls.
        for (int wait = 0; ; wait = LONG_POLL_SECONDS) {
            Instant asked = Instant.now();
            RoundView view = mailbox.fetchRound(round, wait);
            if (view.complete()) {
                if (view.infos().size() != 2) {
                    throw new PartyException(PartyException.ERROR, "round " + round + ": the service returned "
                            + view.infos().size() + " infos, expected the other two participants'");
                }
                progress.println(waitingFor == null ? "; round complete" : "round " + round + ": complete");
                linePending = false;
                tracer.flush();
                return view.infos();
            }
            if (!view.waitingFor().equals(waitingFor)) {
                // Empty when the last message arrived between the service's two reads: the round completes in a moment.
                String whom = view.waitingFor().isEmpty() ? "the round to complete" : String.join(", ", view.waitingFor());
                progress.println((waitingFor == null ? "; " : "round " + round + ": ") + "waiting for " + whom + "…"
                        + (view.deadline() == null ? "" : " (round deadline " + view.deadline() + ")"));
                linePending = false;
                waitingFor = view.waitingFor();
            }
            if (wait > 0 && Duration.between(asked, Instant.now()).toSeconds() < wait / 2) {
                // A long-poll that came back early and empty: the setup may have ended (the service answers at once then).
                stopIfEnded();
                sleep(RETRY);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new PartyException(PartyException.TIMED_OUT, "round " + round + ": still waiting for "
                        + String.join(", ", waitingFor) + " after " + maxWait.toSeconds()
                        + " s; run the same command again to keep waiting (nothing is lost)");
            }
        }
    }

    /** PUT the round's info: 409 round-not-open means the service has not finished the previous round yet — wait. */
    private boolean submit(int round, String info) {
        Instant deadline = Instant.now().plus(maxWait);
        while (true) {
            try {
                return mailbox.submitInfo(round, info);
            } catch (MailboxException e) {
                if (e.is(409, "round-not-open") && Instant.now().isBefore(deadline)) {
                    sleep(RETRY);
                    continue;
                }
                throw explain(e, round);
            }
        }
    }

    private RuntimeException explain(MailboxException e, int round) {
        if (e.is(409, "info-differs")) {
            return new PartyException(PartyException.ERROR, "round " + round + ": the service refused this info (409 info-differs):"
                    + " this " + role + " submitted a different round-" + round + " info before, and the first one counts."
                    + " Either this wallet is stale (it ran a setup before, or was restored from an older file) or a second"
                    + " client is joining as " + role + " (another machine, or another --state-dir). Stop the other client;"
                    + " this wallet cannot continue this escrow with a different info");
        }
        if (e.is(409, "info-for-another-round")) {
            return new PartyException(PartyException.ERROR, "round " + round + ": the service refused this info (409"
                    + " info-for-another-round): it is the info of another round, so this wallet is out of step with the escrow"
                    + " (a stale wallet, or a state file from another run): " + e.getMessage());
        }
        if (e.is(409, "setup-ended") || e.is(409, "round-not-open") || e.is(409, "round-deadline-passed")) {
            Outcome outcome = outcome();
            return outcome != null && "FAILED".equals(outcome.status()) ? failed(outcome)
                    : new PartyException(PartyException.ERROR, e.getMessage() + " (escrow status "
                            + (outcome == null ? "unknown" : outcome.status()) + ", this " + role + " in round " + round + ")");
        }
        return authOrPlain(e);
    }

    private PartyException authOrPlain(MailboxException e) {
        if (e.status() == 401 || e.status() == 403) {
            return new PartyException(PartyException.ERROR, "escrow-service refused the token (HTTP " + e.status() + "): it is not "
                    + role + "'s token for escrow " + escrowId + " (the other party's, another escrow's, or mistyped)");
        }
        return new PartyException(PartyException.ERROR, e.getMessage());
    }

    private String awaitOutcome() {
        Instant deadline = Instant.now().plus(maxWait);
        while (true) {
            Outcome outcome;
            try {
                outcome = outcome();
            } catch (MailboxException e) {
                throw authOrPlain(e);
            }
            if (outcome != null && "READY".equals(outcome.status())) {
                if (outcome.address() != null && state.address != null && !outcome.address().equals(state.address)) {
                    throw new PartyException(PartyException.ERROR, "the escrow is READY on " + outcome.address()
                            + " but this wallet computed " + state.address);
                }
                if (state.step != Step.READY) {
                    save(Step.READY);
                }
                progress.println("READY: all three parties agree on the address");
                return state.address;
            }
            if (outcome != null && "FAILED".equals(outcome.status())) {
                throw failed(outcome);
            }
            if (Instant.now().isAfter(deadline)) {
                throw new PartyException(PartyException.TIMED_OUT, "the escrow is still " + (outcome == null ? "not READY" : outcome.status())
                        + " after " + maxWait.toSeconds() + " s; run the same command again to keep waiting");
            }
            sleep(RETRY);
        }
    }

    private void stopIfEnded() {
        Outcome outcome = outcome();
        if (outcome != null && "FAILED".equals(outcome.status())) {
            throw failed(outcome);
        }
        if (outcome != null && outcome.ended()) {
            throw new PartyException(PartyException.ERROR, "the escrow is " + outcome.status() + " but this " + role
                    + " never finished round " + round);
        }
    }

    /**
     * The status from GET /exchange; GET /api/escrow/{id} when that carries none, or no failure for a FAILED escrow (the
     * service may show that view to the marketplace only: then the exchange's status is what the party gets).
     */
    private Outcome outcome() {
        Outcome outcome = Outcome.of(mailbox.exchange());
        if (outcome.status() == null || ("FAILED".equals(outcome.status()) && outcome.failure().isEmpty())) {
            try {
                Outcome full = Outcome.of(mailbox.escrow());
                outcome = full.status() == null ? outcome : full;
            } catch (MailboxException refused) {
                if (outcome.status() == null) {
                    throw refused;
                }
            }
        }
        return outcome.status() == null ? null : outcome;
    }

    private PartyException failed(Outcome outcome) {
        StringBuilder message = new StringBuilder("the escrow FAILED");
        outcome.failure().forEach(line -> message.append("\n  ").append(line));
        if (outcome.failure().isEmpty()) {
            message.append(" (the service shows a party no failure details: the marketplace or the operator sees them in GET"
                    + " /api/escrow/").append(escrowId).append(" and tools/analyze-escrow)");
        }
        return new PartyException(PartyException.FAILED, message.toString());
    }

    private JsonNode exchangeKeys(List<String> others) {
        return wallet.call("exchange_multisig_keys", withPassword(Map.of("multisig_info", others)));
    }

    private JsonNode multisig() {
        return wallet.call("is_multisig", Map.of());
    }

    /** A wallet that is (or is not) multisig when this step expects otherwise is another wallet, or one that was reused. */
    private void requireMultisig(boolean expected, String step) {
        boolean actual = multisig().path("multisig").asBoolean();
        if (actual == expected) {
            return;
        }
        throw new PartyException(PartyException.ERROR, expected
                ? "the wallet at " + wallet.url() + " is not multisig, but this " + role + " already ran make_multisig for escrow "
                        + escrowId + " (" + store.file() + "): the wallet-rpc has another wallet open, or an older copy of it"
                : "the wallet at " + wallet.url() + " is already multisig, but " + store.file() + " has no " + step + " for escrow "
                        + escrowId + ": open a fresh wallet for each escrow (or, if this run was interrupted right after "
                        + step + ", the wallet went ahead without the client: it cannot rejoin this escrow)");
    }

    /** Before make_multisig a wallet's address is its own, so a changed one means another wallet is open now. */
    private void requireSameWallet() {
        String now = primaryAddress();
        if (state.walletAddress != null && !state.walletAddress.equals(now)) {
            throw new PartyException(PartyException.ERROR, "the wallet open at " + wallet.url() + " (" + now + ") is not the one that"
                    + " began this escrow as " + role + " (" + state.walletAddress + "): open that wallet again and rerun");
        }
    }

    private String primaryAddress() {
        return wallet.call("get_address", Map.of("account_index", 0)).path("address").asText();
    }

    private Map<String, Object> withPassword(Map<String, Object> params) {
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("password", walletPassword == null ? "" : walletPassword);
        return all;
    }

    private void save(Step step) {
        state.step = step;
        store.save(state);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PartyException(PartyException.ERROR, "interrupted");
        }
    }
}
