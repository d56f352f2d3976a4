package dev.escrowstack.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.escrowstack.party.cli.PartyCli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The funds commands' error handling against the stub service's funds calls ({@link StubFunds}) and stub wallets
 * ({@link StubWalletRpc}: an offline test wallet holds no funds, so it cannot make a transaction set). What a real
 * wallet answers to the sync calls is in PartySetupTest; a real payout is the regtest proof's.
 */
class FundsCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static StubEscrowService service;

    @BeforeAll
    static void start() throws IOException {
        service = new StubEscrowService();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void syncResumesWithTheExportItSentAndNeverExportsTwice() throws Exception {
        StubEscrowService.Escrow escrow = service.create("F-SYNC", null);
        try (StubWalletRpc buyer = new StubWalletRpc("buyer"); StubWalletRpc vendor = new StubWalletRpc("vendor")) {
            Path state = dir.resolve("state-sync");
            Run first = run("sync", "buyer", escrow, buyer, state, "--wait-seconds", "1");
            assertEquals(4, first.exit, first.err);
            assertTrue(first.err.contains("sync epoch 1: exported (sha256 "), first.err);
            assertTrue(first.err.contains("; waiting for the vendor…"), first.err);
            assertTrue(first.err.contains("still waiting for the vendor to export after 1 s; run the same command again"), first.err);
            Path file = state.resolve("F-SYNC-buyer-funds.json");
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            String export = JSON.readTree(file.toFile()).path("exports").path("1").asText();

            Run vendorRun = run("sync", "vendor", escrow, vendor, dir.resolve("state-sync-vendor"));
            assertEquals(0, vendorRun.exit, vendorRun.err);
            assertTrue(vendorRun.err.contains("sync epoch 1: imported 1 output from arbiter, buyer"), vendorRun.err);

            Run resumed = run("sync", "buyer", escrow, buyer, state);
            assertEquals(0, resumed.exit, resumed.err);
            assertTrue(resumed.err.contains("sync epoch 1: exported before (sha256 "), resumed.err);
            assertTrue(resumed.err.contains(", sent (the service had it already)"), resumed.err);
            assertTrue(resumed.err.contains("sync epoch 1: imported 1 output from arbiter, vendor"), resumed.err);
            assertEquals(1, buyer.count("export_multisig_info"), "exported once: " + buyer.log);
            assertEquals(1, buyer.count("import_multisig_info"));
            assertEquals(export, escrow.funds.exports.get(1).get("buyer"), "the first export is the one the service has");
            assertTrue(service.requests.containsAll(List.of("PUT F-SYNC buyer sync 1 201", "PUT F-SYNC buyer sync 1 200",
                    "PUT F-SYNC buyer imported 1 200")), service.requests.toString());
            assertEquals(List.of("arbiter", "vendor"), escrow.funds.imported.get(1).get("buyer"));

            Run again = run("sync", "buyer", escrow, buyer, state);
            assertEquals(0, again.exit, again.err);
            assertTrue(again.err.contains("sync epoch 1: done before (imported from arbiter, vendor)"), again.err);
            assertEquals(1, buyer.count("export_multisig_info"));
            for (Run r : List.of(first, resumed, again)) {
                assertFalse((r.out + r.err).contains(export), "an export printed");
            }
        }
    }

    @Test
    void syncFollowsTheServiceToANewEpoch() throws Exception {
        StubEscrowService.Escrow escrow = service.create("F-EPOCH", null);
        try (StubWalletRpc buyer = new StubWalletRpc("buyer")) {
            Path state = dir.resolve("state-epoch");
            assertEquals(4, run("sync", "buyer", escrow, buyer, state, "--wait-seconds", "1").exit);
            escrow.funds.openEpoch(); // a dispute, say: epoch 2, the buyer's epoch-1 export is old news
            escrow.funds.exports.get(2).put("vendor", "c0ffee02");
            Run run = run("sync", "buyer", escrow, buyer, state);
            assertEquals(0, run.exit, run.err);
            assertTrue(run.err.contains("sync epoch 2: exported (sha256 "), run.err);
            assertTrue(run.err.contains("sync epoch 2: imported 1 output from arbiter, vendor"), run.err);
            assertEquals(2, buyer.count("export_multisig_info"), "one export per epoch");
        }
    }

    @Test
    void signRefusesATransactionSetThatPaysAnotherAddress() throws Exception {
        StubEscrowService.Escrow escrow = fundedAndSynced("F-WRONG");
        try (StubWalletRpc buyer = new StubWalletRpc("buyer")) {
            String txset = releaseBuilt(escrow);
            buyer.describeRecipient = "5AttackerAddressYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYYY";
            Run run = run("sign", "buyer", escrow, buyer, dir.resolve("state-wrong"));
            assertEquals(1, run.exit, run.err);
            assertTrue(run.err.contains("payout release: refusing to sign: the transaction set pays " + buyer.describeRecipient
                    + ", not the expected " + escrow.funds.vendorPayoutAddress), run.err);
            assertTrue(run.err.contains("expected the vendor's recorded payout address"), run.err);
            assertTrue(run.err.contains("Nothing was signed"), run.err);
            assertEquals(0, buyer.count("sign_multisig"));
            assertEquals(0, buyer.count("submit_multisig"));
            assertEquals("", run.out);
            assertFalse(run.err.contains(txset), "a transaction set printed");

            // The same set checked against an address the signer gives itself.
            buyer.describeRecipient = escrow.funds.vendorPayoutAddress;
            Run other = run("sign", "buyer", escrow, buyer, dir.resolve("state-wrong"), "--payout-address", "5SomewhereElse");
            assertEquals(1, other.exit, other.err);
            assertTrue(other.err.contains("not the expected 5SomewhereElse (expected the address given with --payout-address"),
                    other.err);
            buyer.describeChange = 5;
            Run change = run("sign", "buyer", escrow, buyer, dir.resolve("state-wrong"));
            assertEquals(1, change.exit, change.err);
            assertTrue(change.err.contains("keeps 5 as change"), change.err);
            assertEquals(0, buyer.count("sign_multisig"));
        }
    }

    @Test
    void signKilledBetweenSubmitAndReportOnlyReportsWhenRunAgain() throws Exception {
        StubEscrowService.Escrow escrow = fundedAndSynced("F-KILL");
        try (StubWalletRpc buyer = new StubWalletRpc("buyer")) {
            releaseBuilt(escrow);
            buyer.describeRecipient = escrow.funds.vendorPayoutAddress;
            Path state = dir.resolve("state-kill");
            escrow.funds.holdSubmitted = new CountDownLatch(1);
            Process process = process("sign", "buyer", escrow, buyer, state);
            try {
                assertTrue(escrow.funds.submittedArrived.await(60, TimeUnit.SECONDS), "no PUT submitted: " + log("sign"));
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            } finally {
                escrow.funds.holdSubmitted.countDown();
                escrow.funds.holdSubmitted = null;
            }
            assertEquals(1, buyer.count("sign_multisig"));
            assertEquals(1, buyer.count("submit_multisig"));
            JsonNode saved = JSON.readTree(state.resolve("F-KILL-buyer-funds.json").toFile()).path("signed");
            String hash = saved.path("txHashes").path(0).asText();
            assertFalse(saved.path("reported").asBoolean());

            Run rerun = run("sign", "buyer", escrow, buyer, state);
            assertEquals(0, rerun.exit, rerun.err);
            assertEquals(hash, rerun.out.strip());
            assertTrue(rerun.err.contains("submitted before by this buyer (tx " + hash + "): nothing is signed or submitted again"),
                    rerun.err);
            assertTrue(rerun.err.contains("payout release: PAID"), rerun.err);
            assertEquals(1, buyer.count("sign_multisig"), "signed once");
            assertEquals(1, buyer.count("submit_multisig"), "submitted once");
            assertEquals(List.of(hash), List.of(escrow.funds.payout.path("tx_hashes").path(0).asText()));

            int before = service.requests.size();
            Run third = run("sign", "buyer", escrow, buyer, state);
            assertEquals(0, third.exit, third.err);
            assertEquals(hash, third.out.strip());
            assertTrue(service.requests.subList(before, service.requests.size()).stream().noneMatch(r -> r.startsWith("PUT")));
        }
    }

    @Test
    void releaseRefusedBecauseTheBuyerIsStaleSaysSoAndSendsTheSameSetAgain() throws Exception {
        StubEscrowService.Escrow escrow = fundedAndSynced("F-STALE");
        try (StubWalletRpc vendor = new StubWalletRpc("vendor")) {
            for (int i = 0; i < 50; i++) {
                StubEscrowService.Reply stale = StubEscrowService.problem(409, "stale-multisig-data",
                        "the buyer has not imported epoch 1's infos");
                ((com.fasterxml.jackson.databind.node.ObjectNode) stale.body()).put("epoch", 1).putArray("stale_roles").add("buyer");
                escrow.funds.nextPayoutPut.add(stale);
            }
            Run run = run("release", "vendor", escrow, vendor, dir.resolve("state-stale"), "--wait-seconds", "6");
            assertEquals(4, run.exit, run.err);
            assertTrue(run.err.contains("payout release: not yet (409 stale-multisig-data): the buyer has not imported epoch 1's"
                    + " infos; it must run `escrow-party sync`"), run.err);
            assertTrue(run.err.contains("the service still refuses the transaction set because the buyer has not imported epoch 1's"
                    + " infos (stale-multisig-data) after 6 s"), run.err);
            assertEquals(1, vendor.count("sweep_all"), "built once, the same set sent again: " + vendor.log);
            assertTrue(service.requests.stream().filter("PUT F-STALE vendor payout 409"::equals).count() >= 2, service.requests.toString());
            assertTrue(vendor.log.stream().anyMatch(c -> c.startsWith("sweep_all") && c.contains(escrow.funds.vendorPayoutAddress)));

            // The buyer synced meanwhile: the rerun sends that same set, no new sweep_all.
            escrow.funds.nextPayoutPut.clear();
            Run rerun = run("release", "vendor", escrow, vendor, dir.resolve("state-stale"));
            assertEquals(0, rerun.exit, rerun.err);
            assertTrue(rerun.err.contains("transaction set built before in epoch 1"), rerun.err);
            assertTrue(rerun.err.contains("payout release: AWAITING_SIGNATURE, epoch 1, 999000 to " + escrow.funds.vendorPayoutAddress
                    + " (fee 1000); waiting for the buyer's signature until 2026-01-01T01:00:00Z"), rerun.err);
            assertEquals(1, vendor.count("sweep_all"));
        }
    }

    @Test
    void aRefusedTransactionSetIsExplainedAndBuiltAnewInTheNewEpoch() throws Exception {
        StubEscrowService.Escrow escrow = fundedAndSynced("F-REFUSED");
        try (StubWalletRpc buyer = new StubWalletRpc("buyer")) {
            StubEscrowService.Reply refused = StubEscrowService.problem(422, "txset-refused", "refused");
            ((com.fasterxml.jackson.databind.node.ObjectNode) refused.body()).put("epoch", 2)
                    .put("reason", "the set spends an output the arbiter's wallet does not know");
            escrow.funds.nextPayoutPut.add(refused);
            Path state = dir.resolve("state-refused");
            Run run = run("refund", "buyer", escrow, buyer, state);
            assertEquals(1, run.exit, run.err);
            assertTrue(run.err.contains("the service refused the transaction set (422 txset-refused): the set spends an output the"
                    + " arbiter's wallet does not know. It opened sync epoch 2: run `escrow-party refund` again"), run.err);

            escrow.funds.openEpoch();
            escrow.funds.exports.get(2).put("vendor", "c0ffee02");
            Run rerun = run("refund", "buyer", escrow, buyer, state);
            assertEquals(0, rerun.exit, rerun.err);
            assertTrue(rerun.err.contains("sync epoch 2: imported 1 output from arbiter, vendor"), rerun.err);
            assertEquals(2, buyer.count("sweep_all"), "a new set for the new epoch");
            assertTrue(rerun.err.contains("payout refund: AWAITING_SIGNATURE, epoch 2"), rerun.err);
        }
    }

    // --- helpers

    /** A FUNDED escrow whose epoch 1 both parties exported and imported. */
    private static StubEscrowService.Escrow fundedAndSynced(String id) {
        StubEscrowService.Escrow escrow = service.create(id, null);
        escrow.funds.openEpoch();
        escrow.funds.exports.get(1).put("buyer", "b0b0b0");
        escrow.funds.exports.get(1).put("vendor", "7e7e7e");
        escrow.funds.imported.put(1, new java.util.TreeMap<>(Map.of("buyer", List.of("arbiter", "vendor"),
                "vendor", List.of("arbiter", "buyer"))));
        return escrow;
    }

    /** The vendor's release, as its PUT payout would have left it: awaiting the buyer. */
    private static String releaseBuilt(StubEscrowService.Escrow escrow) {
        String txset = "deadbeef".repeat(16);
        escrow.funds.putPayout("vendor", JSON.createObjectNode().put("kind", "release").put("multisig_txset", txset));
        return txset;
    }

    record Run(int exit, String out, String err) {
    }

    private static Run run(String command, String role, StubEscrowService.Escrow escrow, StubWalletRpc wallet, Path stateDir,
            String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = PartyCli.run(args(command, role, escrow, wallet, stateDir, extra), Map.of("ESCROW_PARTY_TOKEN", escrow.token(role)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String[] args(String command, String role, StubEscrowService.Escrow escrow, StubWalletRpc wallet, Path stateDir,
            String... extra) {
        // No --wait-seconds unless a test gives one: release and refund wait for PAID only when it is given.
        List<String> args = new ArrayList<>(List.of(command, "--service", service.url().toString(), "--escrow", escrow.id,
                "--role", role, "--wallet-rpc", wallet.url().toString(), "--state-dir", stateDir.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    /** The client in a JVM of its own, to be killed like a user's terminal session. */
    private static Process process(String command, String role, StubEscrowService.Escrow escrow, StubWalletRpc wallet, Path stateDir)
            throws IOException {
        Path tokenFile = Files.writeString(dir.resolve(escrow.id + "-" + role + ".token"), escrow.token(role));
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), PartyCli.class.getName()));
        line.addAll(List.of(args(command, role, escrow, wallet, stateDir, "--token-file", tokenFile.toString())));
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(dir.resolve(command + ".log").toFile());
        builder.environment().remove("ESCROW_PARTY_TOKEN");
        return builder.start();
    }

    private static String log(String command) throws IOException {
        return Files.readString(dir.resolve(command + ".log"));
    }
}
