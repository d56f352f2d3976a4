package dev.escrowstack.party;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.escrowstack.party.cli.PartyCli;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.party.wallet.WalletRpc;
import dev.escrowstack.party.wallet.WalletRpcException;
import dev.escrowstack.telemetry.Hashes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The party client against a stub of escrow-service's mailbox (docs/parties.md) with three real monero-wallet-rpc
 * processes: buyer's and vendor's driven by the client, the arbiter's by the stub. One set of wallets for the whole
 * class: the refusals run first on the fresh wallets (they never get past round 1), then the full setup makes them
 * 2-of-3, and the last tests use that.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PartySetupTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BUYER = 0;
    private static final int VENDOR = 1;
    private static final int ARBITER = 2;

    @TempDir
    static Path dir;
    static WalletRpcFixture wallets;
    static StubEscrowService service;
    static Path loginFile;
    static Map<Integer, Path> passwordFiles = Map.of();

    @BeforeAll
    static void start() throws Exception {
        wallets = new WalletRpcFixture(dir, 3);
        service = new StubEscrowService();
        loginFile = write("login", WalletRpcFixture.LOGIN);
        passwordFiles = Map.of(BUYER, write("buyer.pw", "pw-buyer-secret"), VENDOR, write("vendor.pw", "pw-vendor-secret"));
        wallets.createWallet(BUYER, "buyer", "pw-buyer-secret");
        wallets.createWallet(VENDOR, "vendor", "pw-vendor-secret");
        wallets.createWallet(ARBITER, "arbiter", "");
    }

    @AfterAll
    static void stop() {
        if (service != null) {
            service.close();
        }
        if (wallets != null) {
            wallets.close();
        }
    }

    @Test
    @Order(1)
    void digestLoginIsAnsweredAndAWrongOneIsSaidPlainly() {
        assertTrue(wallets.rpc(BUYER).call("get_version", Map.of()).path("version").asInt() > 0);
        WalletRpcException wrong = expectWalletError(new WalletRpc(wallets.url(BUYER), "party:not-it", Tracer.off()));
        assertTrue(wrong.getMessage().contains("login refused"), wrong.getMessage());
        WalletRpcException none = expectWalletError(new WalletRpc(wallets.url(BUYER), null, Tracer.off()));
        assertTrue(none.getMessage().contains("--rpc-login-file"), none.getMessage());
    }

    @Test
    @Order(2)
    void anotherPartysTokenIsRefusedWith403() throws IOException {
        StubEscrowService.Escrow escrow = service.create("E-403", null);
        stopsWith(3, "refused the token (HTTP 403)", "buyer", escrow, escrow.token("vendor"), BUYER);
    }

    @Test
    @Order(3)
    void aDifferentInfoForARoundAlreadySubmittedIsExplained() throws IOException {
        StubEscrowService.Escrow escrow = service.create("E-409", null);
        String earlier = "MultisigV1" + "A".repeat(20) + "bcdefghijkmnopqrstuvwxyz123456789";
        escrow.put("vendor", 1, earlier);
        Run run = stopsWith(3, "409 info-differs", "vendor", escrow, escrow.token("vendor"), VENDOR);
        assertTrue(run.err.contains("a second client"), run.err);
        assertEquals(-1, Hashes.rawMultisigInfoAt(run.err + run.out), "no info printed");
    }

    @Test
    @Order(4)
    void aFailedEscrowPrintsTheServicesSummary() throws IOException {
        StubEscrowService.Escrow escrow = service.create("E-FAILED", null);
        var failure = JSON.createObjectNode().put("round", 2).put("role", "vendor").put("operation", "submit")
                .put("error", "the vendor did not submit round 2 within 10 min");
        failure.putObject("root_cause").put("pattern", "PARTY_STALLED").put("fix", "ask the vendor to rerun its client");
        escrow.fail(failure);
        Run run = stopsWith(1, "the escrow FAILED", "buyer", escrow, escrow.token("buyer"), BUYER);
        assertTrue(run.err.contains("the vendor did not submit round 2 within 10 min"), run.err);
        assertTrue(run.err.contains("fix: ask the vendor to rerun its client"), run.err);
    }

    @Test
    @Order(5)
    void aSetupThatFailsWhileThePartyWaitsIsReportedByTheServiceAsWritten() throws Exception {
        StubEscrowService.Escrow escrow = service.create("E-STALL", null);
        escrow.asWritten = true;
        escrow.put("arbiter", 1, "MultisigV1" + "B".repeat(40));
        CompletableFuture<Run> buyer = CompletableFuture.supplyAsync(() -> join("buyer", escrow, escrow.token("buyer"), BUYER,
                dir.resolve("state-stall")));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!service.requests.contains("GET E-STALL/parties/buyer round 1 200") && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        escrow.fail(JSON.createObjectNode().put("round", 1).put("role", "vendor").put("error", "stalled"));
        Run run = buyer.get(60, TimeUnit.SECONDS);
        assertEquals(1, run.exit, run.err);
        assertTrue(run.err.contains("waiting for vendor… (round deadline 2026-01-01T00:10:00Z)"), run.err);
        assertTrue(run.err.contains("the escrow FAILED (the service shows a party no failure details"), run.err);
    }

    @Test
    @Order(6)
    void buyerAndVendorReachOneAddressWithTheArbiterAndTheVendorResumesAfterAKill() throws Exception {
        StubEscrowService.Escrow escrow = service.create("E-OK", wallets.rpc(ARBITER));
        Path vendorState = dir.resolve("state-vendor");
        // The vendor alone first: it submits round 1 and waits for the buyer; killed there, mid long-poll.
        Process vendor = joinProcess("vendor", escrow, VENDOR, vendorState);
        awaitRequest("PUT E-OK vendor round 1 201", vendor);
        Run second = join("vendor", escrow, escrow.token("vendor"), VENDOR, vendorState);
        assertEquals(3, second.exit, second.err);
        assertTrue(second.err.contains("another escrow-party is running for this escrow and role"), second.err);
        vendor.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        Path stateFile = vendorState.resolve("E-OK-vendor.json");
        assertEquals("ROUND1_SUBMITTED", JSON.readTree(stateFile.toFile()).path("step").asText());
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(stateFile)));

        CompletableFuture<Run> buyer = CompletableFuture.supplyAsync(() -> join("buyer", escrow, escrow.token("buyer"), BUYER,
                dir.resolve("state-buyer"), "--otlp-endpoint", service.url() + "/v1/traces", "--otlp-header", "Authorization=Bearer ingest-x"));
        Run resumed = join("vendor", escrow, escrow.token("vendor"), VENDOR, vendorState);
        Run buyerRun = buyer.get(5, TimeUnit.MINUTES);

        assertEquals(0, resumed.exit, resumed.err);
        assertEquals(0, buyerRun.exit, buyerRun.err);
        assertTrue(resumed.err.contains("resuming vendor of escrow E-OK after: round1_submitted"), resumed.err);
        assertTrue(service.requests.contains("PUT E-OK vendor round 1 200"), "the resumed vendor resubmitted its own info: "
                + service.requests);
        assertTrue(buyerRun.err.contains("round 1: prepared (sha256 "), buyerRun.err);
        String address = escrow.address();
        assertEquals(address, buyerRun.out.strip());
        assertEquals(address, resumed.out.strip());
        for (int i : List.of(BUYER, VENDOR, ARBITER)) {
            JsonNode multisig = wallets.rpc(i).call("is_multisig", Map.of());
            assertTrue(multisig.path("ready").asBoolean(), "wallet " + i + ": " + multisig);
            assertEquals(2, multisig.path("threshold").asInt());
            assertEquals(3, multisig.path("total").asInt());
            assertEquals(address, wallets.rpc(i).call("get_address", Map.of("account_index", 0)).path("address").asText());
        }
        assertEquals(-1, Hashes.rawMultisigInfoAt(buyerRun.err + resumed.err), "no info printed");
        assertBuyerSpans(escrow);
    }

    /** One span per wallet and mailbox call, the escrow's context on each, no secret in any, the mailbox calls traced. */
    private static void assertBuyerSpans(StubEscrowService.Escrow escrow) throws IOException {
        assertFalse(service.otlpBodies.isEmpty());
        assertTrue(service.otlpAuthorizations.stream().allMatch("Bearer ingest-x"::equals), service.otlpAuthorizations.toString());
        List<JsonNode> spans = new ArrayList<>();
        for (String body : service.otlpBodies) {
            assertEquals(-1, Hashes.rawMultisigInfoAt(body), "an info in a span");
            for (String secret : List.of("pw-buyer-secret", "digest-secret", escrow.token("buyer"), "ingest-x")) {
                assertFalse(body.contains(secret), "a secret in a span");
            }
            JSON.readTree(body).at("/resourceSpans/0/scopeSpans/0/spans").forEach(spans::add);
        }
        Set<String> names = new HashSet<>();
        Set<String> traceIds = new HashSet<>();
        for (JsonNode span : spans) {
            names.add(span.path("name").asText());
            traceIds.add(span.path("traceId").asText());
            Map<String, String> attributes = attributes(span);
            assertEquals("E-OK", attributes.get("escrow.id"), span.toString());
            assertEquals("buyer", attributes.get("escrow.role"), span.toString());
            if (span.path("name").asText().startsWith("monero-wallet-rpc/")) {
                assertEquals("jsonrpc", attributes.get("rpc.system"));
                assertEquals(String.valueOf(wallets.url(BUYER).getPort()), attributes.get("server.port"));
                assertTrue(attributes.containsKey("rpc.method"));
            }
        }
        assertTrue(names.containsAll(List.of("monero-wallet-rpc/prepare_multisig", "monero-wallet-rpc/make_multisig",
                "monero-wallet-rpc/exchange_multisig_keys", "escrow-party/submit_info", "escrow-party/fetch_round",
                "escrow-party/submit_address")), names.toString());
        assertTrue(spans.stream().anyMatch(s -> "3".equals(attributes(s).get("escrow.round"))));
        assertEquals(1, traceIds.size(), "one trace per run");
        String traceId = traceIds.iterator().next();
        assertTrue(service.traceparents.stream().anyMatch(t -> t.startsWith("00-" + traceId + "-")), "traceparent on mailbox calls");
    }

    private static Map<String, String> attributes(JsonNode span) {
        Map<String, String> attributes = new java.util.HashMap<>();
        span.path("attributes").forEach(a -> attributes.put(a.path("key").asText(),
                a.path("value").has("intValue") ? a.path("value").path("intValue").asText() : a.path("value").path("stringValue").asText()));
        return attributes;
    }

    @Test
    @Order(7)
    void aRerunAfterReadyPrintsTheAddressAgainAndSubmitsNothing() {
        StubEscrowService.Escrow escrow = service.escrow("E-OK");
        int before = service.requests.size();
        Run run = join("buyer", escrow, escrow.token("buyer"), BUYER, dir.resolve("state-buyer"));
        assertEquals(0, run.exit, run.err);
        assertEquals(escrow.address(), run.out.strip());
        assertTrue(service.requests.subList(before, service.requests.size()).stream().noneMatch(r -> r.startsWith("PUT")));
    }

    @Test
    @Order(8)
    void aWalletThatIsMultisigAlreadyIsNotUsedForAnotherEscrow() throws IOException {
        StubEscrowService.Escrow escrow = service.create("E-STALE", null);
        stopsWith(3, "is already multisig", "buyer", escrow, escrow.token("buyer"), BUYER);
        assertTrue(service.requests.stream().noneMatch(r -> r.startsWith("PUT E-STALE")));
    }

    @Test
    @Order(9)
    void aWalletErrorNamesTheMethodTheCodeAndTheMessage() {
        try {
            wallets.rpc(BUYER).call("make_multisig", Map.of("multisig_info", List.of("x", "y"), "threshold", 2, "password", ""));
            fail("a multisig wallet accepted make_multisig");
        } catch (WalletRpcException e) {
            assertEquals("make_multisig", e.method());
            assertTrue(e.code() != null && e.code() < 0, e.getMessage());
            assertTrue(e.getMessage().startsWith("wallet make_multisig failed (code " + e.code() + "): "), e.getMessage());
        }
    }

    @Test
    @Order(10)
    void bothPartiesSyncTheReadyWalletsWithTheArbitersExport() throws Exception {
        // The real wallets' side of a sync (refresh, export_multisig_info's info, import_multisig_info's n_outputs) on the
        // 2-of-3 wallets of E-OK; offline and unfunded, so there is nothing to import but the infos themselves.
        StubEscrowService.Escrow escrow = service.escrow("E-OK");
        CompletableFuture<Run> buyer = CompletableFuture.supplyAsync(() -> join("buyer", escrow, escrow.token("buyer"), BUYER,
                dir.resolve("state-buyer"), "sync"));
        Run vendor = join("vendor", escrow, escrow.token("vendor"), VENDOR, dir.resolve("state-vendor"), "sync");
        Run buyerRun = buyer.get(2, TimeUnit.MINUTES);
        assertEquals(0, vendor.exit, vendor.err);
        assertEquals(0, buyerRun.exit, buyerRun.err);
        assertTrue(buyerRun.err.contains("sync epoch 1: exported (sha256 "), buyerRun.err);
        assertTrue(buyerRun.err.matches("(?s).*sync epoch 1: imported \\d+ outputs? from arbiter, vendor.*"), buyerRun.err);
        assertEquals(List.of("arbiter", "buyer"), escrow.funds.imported.get(1).get("vendor"));
        for (String info : escrow.funds.exports.get(1).values()) {
            assertFalse((buyerRun.err + vendor.err).contains(info), "an export printed");
        }
    }

    // --- helpers

    record Run(int exit, String out, String err) {
    }

    private static Run join(String role, StubEscrowService.Escrow escrow, String token, int wallet, Path stateDir, String... extra) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = PartyCli.run(args(role, escrow, wallet, stateDir, extra), Map.of("ESCROW_PARTY_TOKEN", token),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** A run with a state directory of its own that ends with {@code exit} and says {@code says}. */
    private static Run stopsWith(int exit, String says, String role, StubEscrowService.Escrow escrow, String token, int wallet) {
        Run run = join(role, escrow, token, wallet, dir.resolve("state-" + escrow.id));
        assertEquals(exit, run.exit, run.err);
        assertTrue(run.err.contains(says), run.err);
        return run;
    }

    /** The client in a JVM of its own, to be killed like a user's terminal session. */
    private static Process joinProcess(String role, StubEscrowService.Escrow escrow, int wallet, Path stateDir) throws IOException {
        Path tokenFile = write(role + ".token", escrow.token(role));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), PartyCli.class.getName()));
        command.addAll(List.of(args(role, escrow, wallet, stateDir, "--token-file", tokenFile.toString())));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve(role + "-process.log").toFile());
        builder.environment().remove("ESCROW_PARTY_TOKEN");
        return builder.start();
    }

    private static String[] args(String role, StubEscrowService.Escrow escrow, int wallet, Path stateDir, String... extra) {
        String command = extra.length > 0 && extra[extra.length - 1].equals("sync") ? "sync" : "join";
        if (command.equals("sync")) {
            extra = java.util.Arrays.copyOf(extra, extra.length - 1);
        }
        List<String> args = new ArrayList<>(List.of(command, "--service", service.url().toString(), "--escrow", escrow.id,
                "--role", role, "--wallet-rpc", wallets.url(wallet).toString(), "--rpc-login-file", loginFile.toString(),
                "--wallet-password-file", passwordFiles.get(wallet).toString(), "--state-dir", stateDir.toString(),
                "--wait-seconds", "120"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    private static void awaitRequest(String request, Process process) throws InterruptedException, IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!service.requests.contains(request)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                fail("no " + request + "; client: " + Files.readString(dir.resolve("vendor-process.log")));
            }
            Thread.sleep(50);
        }
        // The state file is saved right after the 201 arrives.
        Thread.sleep(500);
    }

    private static WalletRpcException expectWalletError(WalletRpc rpc) {
        try {
            rpc.call("get_version", Map.of());
        } catch (WalletRpcException e) {
            return e;
        }
        throw new AssertionError("the wallet-rpc accepted a wrong login");
    }

    private static Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content);
    }
}
