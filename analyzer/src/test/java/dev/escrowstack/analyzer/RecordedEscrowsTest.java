package dev.escrowstack.analyzer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.escrowstack.analyzer.diagnosis.Calls;
import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.Finding;
import dev.escrowstack.analyzer.diagnosis.Pattern;
import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.analyzer.model.EventReader;
import dev.escrowstack.analyzer.report.Comparison;
import dev.escrowstack.telemetry.Hashes;

/**
 * Files recorded from real runs of the stack with a fault switched on (SkillWorkflowIT, which copies
 * them to escrow-service/target/recorded-escrows/): the three concurrent escrows of the skill on real
 * monero-wallet-rpc. Hashes only: no multisig info is in them.
 */
public class RecordedEscrowsTest {

    public static List<EscrowFile> recorded(String run) throws IOException {
        List<EscrowFile> files = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(Path.of("src/test/resources/recorded", run), "escrow_*.json")) {
            for (Path p : dir) {
                assertEquals(-1, Hashes.rawMultisigInfoAt(Files.readString(p)), "a raw multisig info in " + p);
                files.add(EventReader.read(p));
            }
        }
        return files;
    }

    @Test
    void cachePollutionRun() throws IOException {
        List<Diagnosis> diagnoses = Diagnoser.diagnose(recorded("pattern-a"));
        assertEquals(1, diagnoses.stream().filter(Diagnosis::clean).count(), "the escrow that left the used wallets behind");
        List<Diagnosis> failed = diagnoses.stream().filter(d -> !d.clean()).toList();
        assertEquals(3, failed.size());
        for (Diagnosis d : failed) {
            Finding f = d.primary();
            assertEquals(Pattern.A, f.pattern(), d.toString());
            assertEquals("buyer", f.role());
            assertEquals(1, f.round());
            assertEquals("SNAPSHOT_PRE_ROUND1", f.stateSource());
            assertEquals(true, f.stateBefore().get("is_multisig"));
            assertTrue(f.error().contains("already multisig"), f.error());
            assertEquals(1, d.findings().size(), "nothing else is wrong: " + d.findings());
            // The skill's sentence, naming the escrow the wallet came from: the clean one, whose file is read too.
            String source = diagnoses.stream().filter(Diagnosis::clean).findFirst().orElseThrow().escrowId();
            assertEquals(List.of(source), f.otherEscrows());
            assertTrue(f.cause().startsWith("RPC cache on port " + f.port() + " retains multisig state from escrow " + source
                    + ", causing escrow " + d.escrowId() + " to fail at prepare_multisig() with 'already multisig' error"), f.cause());
            assertEquals(List.of("buyer"), d.surfaced().wallets().stream().map(w -> w.role()).toList(), "only the buyer failed");
        }
        // Without the source's file, the files do not say where the wallet came from, and the sentence does not guess.
        EscrowFile alone = recorded("pattern-a").stream().filter(f -> f.escrowId().equals(failed.get(0).escrowId())).findFirst()
                .orElseThrow();
        Finding withoutSource = Diagnoser.diagnose(alone).primary();
        assertTrue(withoutSource.cause().contains("from an earlier escrow"), withoutSource.cause());
    }

    @Test
    void sharedInstanceRun() throws IOException {
        List<Diagnosis> diagnoses = Diagnoser.diagnose(recorded("pattern-b"));
        assertEquals(3, diagnoses.size());
        Integer port = diagnoses.get(0).primary().port();
        for (Diagnosis d : diagnoses) {
            Finding f = d.primary();
            assertEquals(Pattern.B, f.pattern(), d.toString());
            assertEquals(port, f.port(), "one wallet-rpc for all three escrows");
            assertEquals(1, f.round());
            assertEquals(2, f.otherEscrows().size(), "names the two escrows it raced with: " + f.otherEscrows());
            assertTrue(f.evidence().stream().anyMatch(e -> e.contains("one wallet answered for both")), f.evidence().toString());
            // Every wallet's make_multisig failed: where it surfaced names all three, not whichever came first.
            assertEquals(3, d.surfaced().wallets().size(), d.surfaced().toString());
            assertTrue(d.surfaced().summary().startsWith("all three wallets failed at make_multisig in round 1 on shared port " + port),
                    d.surfaced().summary());
            assertTrue(f.cause().contains(d.surfaced().summary()), f.cause());
        }
    }

    @Test
    void wrongInfosRun() throws IOException {
        for (Diagnosis d : Diagnoser.diagnose(recorded("pattern-c"))) {
            Finding f = d.primary();
            assertEquals(Pattern.C, f.pattern(), d.toString());
            assertEquals("arbiter", f.role());
            assertEquals(1, f.round());
            assertEquals("make_multisig", f.operation());
            assertTrue(f.evidence().get(0).contains("its own info instead of the vendor's"), f.evidence().toString());
            // The root cause is round 1's make_multisig on the arbiter; it surfaced in round 2, on every wallet.
            assertTrue(f.cause().startsWith("The arbiter wallet (" + f.walletId() + ") was sent the wrong infos at make_multisig"),
                    f.cause());
            assertEquals(2, d.surfaced().round(), d.surfaced().toString());
            assertEquals("exchange_multisig_keys", d.surfaced().operation());
        }
    }

    @Test
    void cleanRunsHaveNoFindingAndCompareWithoutDivergence() throws IOException {
        List<EscrowFile> clean = recorded("clean");
        assertTrue(clean.size() >= 3);
        Diagnoser.diagnose(clean).forEach(d -> assertTrue(d.clean(), d.toString()));
        Comparison c = Comparison.of(clean.get(0), clean.get(1));
        assertEquals(null, c.divergenceIndex(), () -> "two clean escrows: " + c);
    }

    /** The skill's format writes role "coordinator" on events of no wallet; older files write null. They compare alike. */
    @Test
    void aRoleOfNoWalletIsNotCompared() throws IOException {
        List<EscrowFile> clean = recorded("clean");
        EscrowFile a = clean.get(0);
        EscrowFile coordinator = new EscrowFile(a.source(), a.escrowId(), a.events().stream().map(e -> e.role() != null ? e
                : new Event(e.index(), e.traceId(), e.timestamp(), e.type(), "coordinator", e.rpcPort(), e.details())).toList());
        Comparison c = Comparison.of(coordinator, clean.get(1));
        assertEquals(null, c.divergenceIndex(), () -> "coordinator against null: " + c);
    }

    /** A release, a refund and a dispute resolved for the buyer, recorded on a regtest chain (README walkthrough). */
    @Test
    void paidOutEscrowsAreCleanAndEndInTheirPayoutState() throws IOException {
        List<EscrowFile> funds = recorded("funds");
        List<Diagnosis> diagnoses = Diagnoser.diagnose(funds);
        diagnoses.forEach(d -> assertTrue(d.clean(), d.toString()));
        assertEquals(java.util.Set.of("RELEASED", "REFUNDED", "RESOLVED"),
                diagnoses.stream().map(Diagnosis::status).collect(java.util.stream.Collectors.toSet()));
        for (EscrowFile f : funds) {
            List<String> methods = f.events().stream().filter(e -> e.type().equals("RPC_CALL_END"))
                    .map(e -> String.valueOf(e.details().get("method"))).toList();
            for (String step : List.of("export_multisig_info", "import_multisig_info", "sweep_all", "sign_multisig", "submit_multisig")) {
                assertTrue(methods.contains(step), step + " in " + f.source());
            }
        }
    }

    /**
     * Non-custodial escrows recorded on a whole stack (SkillWorkflowIT): one READY, its parties on wallet-rpc of their
     * own with the party client exporting its spans, and one whose vendor never sent round 2.
     */
    @Test
    void aNonCustodialSetupShowsThePartiesSideAndAStalledPartyIsNamed() throws IOException {
        List<Diagnosis> diagnoses = Diagnoser.diagnose(recorded("parties"));
        Diagnosis ready = diagnoses.stream().filter(d -> d.status().equals("READY")).findFirst().orElseThrow();
        assertTrue(ready.clean(), ready.toString());
        EscrowFile file = recorded("parties").stream().filter(f -> f.escrowId().equals(ready.escrowId())).findFirst().orElseThrow();
        for (String role : List.of("buyer", "vendor", "arbiter")) {
            assertEquals(4, file.events().stream().filter(e -> e.type().equals("PARTY_MESSAGE") && role.equals(e.role())).count(), role);
            assertTrue(file.events().stream().anyMatch(e -> e.type().equals("RPC_CALL_END") && role.equals(e.role())
                    && "make_multisig".equals(e.details().get("method"))), role + "'s own make_multisig, traced by whoever holds its wallet");
        }
        Diagnosis stalled = diagnoses.stream().filter(d -> d.status().equals("FAILED")).findFirst().orElseThrow();
        Finding f = stalled.primary();
        assertEquals(Pattern.STALLED, f.pattern(), stalled.toString());
        assertEquals("vendor", f.role());
        assertEquals(2, f.round());
        assertTrue(f.evidence().stream().anyMatch(e -> e.contains("the buyer sent round 2")), f.evidence().toString());
    }

    /** A real kill -9 of the vendor's wallet-rpc under round 3's exchange: the setup started over and ended READY. */
    @Test
    void aSetupThatStartedOverAfterAWalletRpcCrashIsHealedNamingTheWallet() throws IOException {
        List<EscrowFile> files = recorded("healed");
        Diagnosis d = Diagnoser.diagnose(files).get(0);
        assertEquals("READY", d.status());
        assertTrue(d.healed(), d.toString());
        assertFalse(d.failed(), "the crashed call belongs to the abandoned attempt: " + d);
        Finding h = d.healedAttempts().get(0);
        assertEquals("vendor", h.role());
        assertEquals(3, h.round());
        assertEquals("w-180046fa9c8fd2ef593e", h.walletId());
        assertEquals(19601, h.port());
        assertTrue(h.cause().startsWith("healed after a wallet-rpc crash in round 3 on the vendor wallet"), h.cause());
        // The last attempt ran on three other wallets, each a ready 2-of-3 on one address.
        List<RpcCall> calls = Calls.of(files.get(0));
        assertEquals(1, calls.stream().filter(c -> !c.success()).count());
        assertTrue(calls.stream().anyMatch(c -> "w-bab74b9e8cae524bb62a".equals(c.walletId())), "the vendor's new wallet");
    }

    /**
     * Hand-written in the recorded files' shape (recorded/party-payout/README.md: escrow-service does not emit the span
     * yet): a release held up three ways, and a resolve that healed.
     */
    /** Recorded in FundsLifecycleIT: a release whose vendor handed in a set paying elsewhere, and a re-issued ruling. */
    @Test
    void aRecordedNonCustodialReleaseNamesTheVendorWhoseSetWasRefused() throws IOException {
        List<Diagnosis> diagnoses = Diagnoser.diagnose(recorded("party-payout-regtest"));
        Diagnosis released = diagnoses.stream().filter(d -> d.status().equals("RELEASED")).findFirst().orElseThrow();
        assertEquals(Pattern.TXSET_REFUSED, released.primary().pattern(), released.toString());
        assertEquals("vendor", released.primary().role());
        assertTrue(released.primary().cause().contains("pays another address"), released.primary().cause());
        assertTrue(released.healedAttempts().stream().anyMatch(h -> h.cause().contains("stale at epoch 2")), released.toString());
        Diagnosis resolved = diagnoses.stream().filter(d -> d.status().equals("RESOLVED")).findFirst().orElseThrow();
        assertFalse(resolved.failed(), resolved.toString());
        assertTrue(resolved.healed(), "the overdue winner signed after the re-issue: " + resolved);
        assertEquals("vendor", resolved.healedAttempts().get(0).role(), resolved.toString());
    }

    @Test
    void aPayoutThePartiesMakeNamesThePartyThatHoldsItUp() throws IOException {
        List<Diagnosis> diagnoses = Diagnoser.diagnose(recorded("party-payout"));
        Diagnosis held = diagnoses.stream().filter(d -> d.status().equals("FUNDED")).findFirst().orElseThrow();
        assertEquals(List.of(Pattern.TXSET_REFUSED, Pattern.SIGNER_OVERDUE, Pattern.HEALED),
                held.findings().stream().map(Finding::pattern).toList(), held.toString());
        assertEquals("vendor", held.primary().role());
        assertEquals("buyer", held.findings().get(1).role());
        assertTrue(held.healedAttempts().get(0).cause().contains("the buyer was refused as stale at epoch 1"),
                held.healedAttempts().get(0).cause());
        assertNull(held.surfaced(), "no wallet call failed");
        Diagnosis resolved = diagnoses.stream().filter(d -> d.status().equals("RESOLVED")).findFirst().orElseThrow();
        assertTrue(resolved.healed(), resolved.toString());
        assertEquals(2, resolved.healedAttempts().size(), "the stale winner that imported and its late signature");
    }
}
