package dev.escrowstack.escrow.parties;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.escrow.persistence.Custody;
import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.escrow.persistence.EscrowStatus;
import dev.escrowstack.escrow.persistence.PartyMessage;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Hashes;
import dev.escrowstack.telemetry.Role;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;

/**
 * The mailbox of a non-custodial setup (docs/parties.md): who may send what for which round, the answers
 * to a party's questions, and the deadlines. Infos pass through here to the database and back to the
 * other parties; what is logged and traced about them is their SHA-256 and size.
 */
@ApplicationScoped
public class PartyMailbox {

    private static final Duration POLL = Duration.ofMillis(200);

    /** A party's view of a round: the other two messages once all three are in. */
    public record RoundView(String escrowId, int round, boolean complete, List<String> infos, Set<String> waitingFor, Instant deadline) {
    }

    /** One participant's message as the status view shows it: never the info. */
    public record MessageView(String role, int round, String sha256, int size, Instant receivedAt, int rejected) {
    }

    public record ExchangeView(String escrowId, String status, Integer currentRound, Instant roundOpenedAt, Instant roundDeadline,
            Set<String> waitingFor, List<MessageView> messages) {
    }

    private final PartyStore store;
    private final PartySetup setup;
    private final PartiesConfig config;
    private final Tracer tracer;
    private final PartyAccess access;

    public PartyMailbox(PartyStore store, PartySetup setup, PartiesConfig config, Tracer tracer, PartyAccess access) {
        this.access = access;
        this.store = store;
        this.setup = setup;
        this.config = config;
        this.tracer = tracer;
    }

    /** A party's info for round 1-3. True when it is new (201), false when the same one again (200). */
    public boolean submit(String escrowId, String roleName, int round, String info, String token) {
        Role role = party(escrowId, roleName, token);
        if (round < 1 || round >= PartyMessage.ADDRESS_ROUND) {
            throw ProblemException.badRequest("round must be 1, 2 or 3 (the address goes to …/address)").with("field", "round");
        }
        if (info == null || info.isBlank()) {
            throw PartyProblems.badInfo("info is required");
        }
        if (info.length() > config.maxInfoLength() || !info.matches("Multisig[1-9A-HJ-NP-Za-km-z]+")) {
            throw PartyProblems.badInfo("info is not a multisig info of monero-wallet-rpc (MultisigxV2… in base58, at most "
                    + config.maxInfoLength() + " characters)");
        }
        return record(escrowId, role, round, info, span -> checkKex(escrowId, role, round, info, span));
    }

    /** A party's multisig address after round 3. */
    public boolean address(String escrowId, String roleName, String address, String token) {
        Role role = party(escrowId, roleName, token);
        if (address == null || address.isBlank()) {
            throw ProblemException.badRequest("address is required").with("field", "address");
        }
        // Its network and checksum need no check of their own: it must equal the address the arbiter's wallet computed.
        if (!address.matches("[1-9A-HJ-NP-Za-km-z]{95}")) {
            throw ProblemException.badRequest("address is not a standard Monero address (95 base58 characters)").with("field", "address");
        }
        return record(escrowId, role, PartyMessage.ADDRESS_ROUND, address, span -> {
        });
    }

    /** Round {@code round} for the party with {@code token}: waits up to {@code waitSeconds} for it to be complete. */
    public RoundView round(String escrowId, String roleName, int round, String token, int waitSeconds) {
        Role role = party(escrowId, roleName, token);
        if (round < 1 || round >= PartyMessage.ADDRESS_ROUND) {
            throw ProblemException.badRequest("round must be 1, 2 or 3").with("field", "round");
        }
        Duration wait = Duration.ofSeconds(Math.max(0, Math.min(waitSeconds, config.maxWait().toSeconds())));
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            List<PartyMessage> messages = store.round(escrowId, round);
            Escrow e = store.find(escrowId).orElseThrow();
            if (messages.size() == Role.ALL.size() && messages.stream().allMatch(m -> m.info != null)) {
                List<String> others = messages.stream().filter(m -> !m.role.equals(role.name())).map(m -> m.info).sorted().toList();
                return new RoundView(escrowId, round, true, others, Set.of(), e.roundDeadline);
            }
            if (e.status != EscrowStatus.AWAITING_PARTIES || System.nanoTime() >= deadline) {
                return new RoundView(escrowId, round, false, List.of(), store.waitingFor(escrowId, round), e.roundDeadline);
            }
            sleep();
        }
    }

    /** Per participant and round: hash, size, time; the round being collected, its deadline, who is awaited. */
    public ExchangeView status(String escrowId) {
        Escrow e = store.find(escrowId).orElseThrow(() -> EscrowProblems.notFound(escrowId));
        if (e.custody != Custody.PARTIES) {
            throw PartyProblems.notParties(escrowId);
        }
        List<MessageView> views = new ArrayList<>();
        for (PartyMessage m : store.all(escrowId)) {
            views.add(new MessageView(m.role, m.round, m.sha256, m.size, m.receivedAt, m.rejected));
        }
        Set<String> waiting = e.partyRound == null || e.status != EscrowStatus.AWAITING_PARTIES ? Set.of()
                : store.waitingFor(escrowId, e.partyRound);
        return new ExchangeView(escrowId, e.status.name(), e.partyRound, e.roundOpenedAt, e.roundDeadline, waiting, views);
    }

    /** The party's token is checked by whoever may see the status: the party itself. */
    public ExchangeView status(String escrowId, String roleName, String token) {
        party(escrowId, roleName, token);
        return status(escrowId);
    }

    /** A new token for a party (the marketplace's call): the old one stops working. Shown this once. */
    public String reissue(String escrowId, String roleName) {
        Escrow e = store.find(escrowId).orElseThrow(() -> EscrowProblems.notFound(escrowId));
        if (e.custody != Custody.PARTIES) {
            throw PartyProblems.notParties(escrowId);
        }
        Role role = partyRole(roleName);
        String token = PartyTokens.newToken();
        store.replaceToken(escrowId, role, PartyTokens.hash(token));
        Log.infof("escrow %s: a new token for the %s (the old one no longer works)", escrowId, role);
        return token;
    }

    /** A round not complete by its deadline fails the escrow, naming whom it waited for. */
    @Scheduled(every = "${escrow.parties.deadline-check:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void deadlines() {
        for (Escrow e : store.overdue(Instant.now())) {
            int round = e.partyRound == null ? 1 : e.partyRound;
            Set<String> waiting = store.waitingFor(e.id, round);
            String who = waiting.isEmpty() ? "the arbiter's step" : "the " + String.join(" and the ", waiting);
            Duration waited = Duration.between(e.roundOpenedAt, Instant.now());
            setup.fail(e.id, round, waiting.size() == 1 ? waiting.iterator().next() : null, "stalled", who + " did not send round "
                    + (round == PartyMessage.ADDRESS_ROUND ? "4 (the address)" : round) + " within " + config.roundTimeout().toSeconds()
                    + " s; the others waited " + waited.toSeconds() + " s");
        }
    }

    /**
     * A message on its span (escrow.party.message, the file's PARTY_MESSAGE): {@code check} refuses it there,
     * so a refusal is an event with its reason too.
     */
    private boolean record(String escrowId, Role role, int round, String info, Consumer<Span> check) {
        Span span = MessageSpans.start(tracer, escrowId, role.name(), round, info);
        try {
            check.accept(span);
            PartyStore.Submitted s = store.submit(escrowId, role.name(), round, info, config.roundTimeout());
            MessageSpans.stored(span, s);
            if (s.outcome() == PartyStore.Outcome.DIFFERS) {
                String sent = Hashes.sha256Hex(info);
                span.setAttribute(PARTY_MESSAGE_SENT_SHA256, sent).setStatus(StatusCode.ERROR, "a different info for round " + round);
                throw PartyProblems.infoDiffers(escrowId, role.name(), round, s.storedSha256(), sent);
            }
            if (s.completed() > 0) {
                setup.completed(escrowId, s.completed());
            }
            return s.outcome() == PartyStore.Outcome.NEW;
        } catch (ProblemException p) {
            span.setStatus(StatusCode.ERROR, p.getMessage());
            throw p;
        } finally {
            span.end();
        }
    }

    /** Which party a token is (for the calls whose path names no role): 401 without a token, 403 with no party's. */
    public String roleOf(String escrowId, String token) {
        return access.roleOf(escrowId, token).name();
    }

    private Role party(String escrowId, String roleName, String token) {
        return access.party(escrowId, roleName, token);
    }

    private static Role partyRole(String roleName) {
        return PartyAccess.partyRole(roleName);
    }

    /**
     * What the wallets would find only rounds later, refused now (docs/parties.md): an info made for another
     * round, and one made by another wallet than the party's round-1 info — which fails the escrow at once,
     * naming the party: its round-1 info is in the others' wallets already, so no later message can mend it.
     */
    private void checkKex(String escrowId, Role role, int round, String info, Span span) {
        if (!store.open(escrowId, round)) { // before the message itself: "not yet" is the answer that helps
            Integer current = store.find(escrowId).map(e -> e.partyRound).orElse(null);
            throw PartyProblems.roundNotOpen(escrowId, round, current == null ? 1 : current);
        }
        String magic = KexMessage.MAGIC + (round == 1 ? '1' : 'n');
        if (!info.startsWith(magic)) {
            throw PartyProblems.otherRound(escrowId, role.name(), round, round == 1 ? "a later round's" : "round 1's (prepare_multisig)");
        }
        KexMessage message = KexMessage.parse(info).orElseThrow(() -> PartyProblems.badInfo(
                "info is not a multisig kex message of monero-wallet-rpc 0.18: its body does not decode"));
        if (message.round() != round) {
            throw PartyProblems.otherRound(escrowId, role.name(), round, "round " + message.round() + "'s");
        }
        List<PartyMessage> firsts = store.round(escrowId, 1);
        if (round == 1) {
            for (PartyMessage other : firsts) {
                if (!other.role.equals(role.name()) && other.info != null && KexMessage.parse(other.info)
                        .filter(o -> o.signer().equals(message.signer())).isPresent()) {
                    throw PartyProblems.sameWallet(escrowId, role.name(), other.role);
                }
            }
            return;
        }
        boolean sentThisRound = store.round(escrowId, round).stream().anyMatch(m -> m.role.equals(role.name()));
        KexMessage own = firsts.stream().filter(m -> m.role.equals(role.name()) && m.info != null).findFirst()
                .flatMap(m -> KexMessage.parse(m.info)).orElse(null);
        if (!sentThisRound && own != null && !own.signer().equals(message.signer())) {
            String why = "the " + role + "'s round-" + round + " info was made by another wallet than its round-1 info (signing key sha256 "
                    + message.signerSha256().substring(0, 12) + "…, round 1's " + own.signerSha256().substring(0, 12)
                    + "…): its client sent another wallet's info in one of the two, or its wallet was re-created or restored since"
                    + " round 1";
            setup.fail(escrowId, round, role.name(), "wrong-info", why);
            throw PartyProblems.otherWallet(escrowId, role.name(), round, why);
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a round", e);
        }
    }
}
