package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.escrow.support.PartyWallets;
import dev.escrowstack.telemetry.Hashes;

import dev.escrowstack.testsupport.TempDirs;
import dev.escrowstack.testsupport.WalletRpcProcesses;

/**
 * The funds path end to end, the way the README walks it, on one stack: MONEROD=regtest ./stack up (a private
 * regtest monerod beside the stack, the wallets synced to it); an escrow funded by ./stack mine, whose wallets
 * see the coins; then escrows funded with ./stack fund, paid out through the API as 2-of-3 multisig
 * transactions on the real regtest chain, and the payees' balances read with ./stack balance. Release, refund,
 * disputes resolved both ways, under- and overpayment, a release racing a refund, repeated payouts, and a
 * kill -9 of escrow-service in the middle of a release; at the end ./stack down stops everything, monerod too.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FundsLifecycleIT {

    static final long XMR = 1_000_000_000_000L;

    Path home;
    StackRunner stack;
    /** Gets every span trace-exporter forwards; the secrets scan reads them too. */
    CollectorSink collector;
    final ObjectMapper json = new ObjectMapper();
    int port;
    long monerod;

    @BeforeAll
    void up() throws Exception {
        home = Files.createTempDirectory("funds-it");
        stack = new StackRunner(home);
        port = stack.isolate(home, new StackRunner.Ports(8180, 8181, 4418, 18730), "funds-it");
        stack.env.put("MONEROD", "regtest");
        stack.env.put("MONEROD_RPC_PORT", Integer.toString(StackRunner.portOr(18081)));
        stack.env.put("MONEROD_P2P_PORT", Integer.toString(StackRunner.portOr(18080)));
        stack.env.put("FAUCET_RPC_PORT", Integer.toString(StackRunner.portOr(18089)));
        stack.env.put("ENABLE_INSTRUMENTATION", "1");
        // A winner's signature is awaited this long before it is overdue (10 min by default), so the test sees one.
        stack.env.put("ESCROW_PARTIES_SIGN_TIMEOUT", "15s");
        // Nothing here is timed against a warm pool: up returns without waiting for the spare wallets, which the
        // gateway goes on creating while the first test mines its chain.
        stack.env.put("STACK_WARM_TIMEOUT", "0");
        collector = CollectorSink.onFreePort(home.resolve("collector/spans.otlp"));
        collector.start();
        stack.env.put("EXPORTER_FORWARD_ENDPOINT", collector.endpoint());
        StackRunner.Result up = stack.stack("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("monerod (regtest)"), up.output());
        monerod = Long.parseLong(Files.readString(home.resolve("pids/monerod.pid")).trim());
    }

    @AfterAll
    void down() throws Exception {
        try {
            if (stack != null) {
                stack.stack("down");
            }
            if (collector != null) {
                collector.stop();
            }
        } finally {
            WalletRpcProcesses.killUnder(home);
            TempDirs.deleteQuietly(home);
        }
    }

    @Test
    @Order(1)
    void anEscrowOnTheRegtestChainIsFundedByMining() throws Exception {
        JsonNode escrow = json.readTree(stack.shell("curl -s -X POST http://localhost:" + port + "/api/escrow/init"
                + " -H 'Content-Type: application/json' -d '{\"buyer_id\": \"b\", \"vendor_id\": \"v\", \"amount\": 1000000}'").output());
        assertEquals("READY", escrow.path("status").asText(), escrow.toString());
        String address = escrow.path("multisig_address").asText();
        assertTrue(address.startsWith("4"), "a mainnet-type address on regtest: " + address);

        String funding = "curl -s http://localhost:" + port + "/api/escrow/" + escrow.path("escrow_id").asText() + "/funding";
        JsonNode before = json.readTree(stack.shell(funding).output());
        assertEquals("AWAITING_FUNDS", before.path("state").asText(), before.toString());
        assertEquals(0, before.path("received").asLong());
        assertEquals(1_000_000, before.path("expected").asLong());

        StackRunner.Result mined = stack.stack("mine");
        assertNotEquals(0, mined.exit(), "mine without arguments is a usage error");
        mined = stack.shell(StackRunner.ROOT.resolve("stack") + " mine 80 " + address);
        assertEquals(0, mined.exit(), mined.output());
        assertTrue(stack.stack("status").output().contains("regtest height 81"), "80 blocks on the genesis block");
        // 80 coinbases are far more than the amount: visible as OVERFUNDED, and some of it still locked.
        JsonNode after = json.readTree(stack.shell(funding).output());
        assertEquals("OVERFUNDED", after.path("state").asText(), after.toString());
        assertTrue(after.path("received").asLong() > after.path("unlocked").asLong(), after.toString());
        assertTrue(after.path("unlocked").asLong() > after.path("expected").asLong(), after.toString());
        assertEquals(address, after.path("address").asText());

        // The buyer's wallet, leased by id from the gateway, sees the coinbase once refreshed.
        String token = Files.readAllLines(home.resolve("secrets.env")).stream().filter(l -> l.startsWith("GATEWAY_API_TOKEN="))
                .findFirst().orElseThrow().substring("GATEWAY_API_TOKEN=".length());
        String gateway = "http://127.0.0.1:" + stack.env.get("GATEWAY_HTTP_PORT");
        String auth = " -H 'Authorization: Bearer " + token + "' -H 'Content-Type: application/json' ";
        JsonNode lease = json.readTree(stack.shell("curl -s" + auth + "-d '" + json.writeValueAsString(Map.of("holder", "regtest-it",
                "wallets", Map.of("buyer", Map.of("wallet_id", escrow.path("wallets").path("buyer").asText())), "ttl_seconds", 60,
                "wait_seconds", 30)) + "' " + gateway + "/v1/leases").output());
        String wallet = gateway + "/v1/leases/" + lease.path("lease_id").asText() + "/wallets/buyer/";
        String fencing = " -H 'Fencing-Token: " + lease.path("fencing_token").asText() + "' ";
        // Whether this refresh is the one that finds the coinbase depends on wallet-rpc's own auto-refresh (every 20 s)
        // having run first; what counts is the balance after it.
        assertTrue(stack.shell("curl -s -X POST" + auth + fencing + wallet + "refresh").output().contains("\"blocks_fetched\""));
        JsonNode state = json.readTree(stack.shell("curl -s" + auth + fencing + wallet + "state").output());
        assertTrue(state.path("unlocked_balance").asLong() > 0, state.toString());
        // Given back at once: the funds path below needs the whole pool.
        stack.shell("curl -s -X DELETE" + auth + fencing + gateway + "/v1/leases/" + lease.path("lease_id").asText());
    }

    @Test
    @Order(2)
    void nonCustodialEscrowsArePaidOutByTheirPartiesAndCheckedByTheArbiter() throws Exception {
        String buyerPayee = lastLine(run("wallet p-buyer-payee"));
        String vendorPayee = lastLine(run("wallet p-vendor-payee"));
        String other = lastLine(run("wallet p-somebody-else"));
        String miner = lastLine(run("wallet miner"));
        String service = "http://127.0.0.1:" + port;
        List<String> names = List.of("release", "refund", "resolve-buyer", "resolve-vendor");
        Path partiesDir = Files.createTempDirectory("funds-it-parties"); // outside the stack's home: the parties' own wallets
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (PartyWallets parties = new PartyWallets(partiesDir, "127.0.0.1:" + stack.env.get("MONEROD_RPC_PORT"))) {
            Map<String, Future<PartyWallets.Wallet>> starting = new HashMap<>();
            for (String name : names) {
                for (String role : List.of("buyer", "vendor")) {
                    starting.put(name + "/" + role, pool.submit(() -> parties.start(role + "-" + name)));
                }
            }
            Map<String, String> ids = new HashMap<>();
            Map<String, String> tokens = new HashMap<>();
            for (String name : names) {
                JsonNode escrow = post("/api/escrow/init", Map.of("buyer_id", "pb-" + name, "vendor_id", "pv-" + name, "amount", XMR,
                        "custody", "parties", "buyer_payout_address", buyerPayee, "vendor_payout_address", vendorPayee));
                assertEquals("AWAITING_PARTIES", escrow.path("status").asText(), escrow.toString());
                ids.put(name, escrow.path("escrow_id").asText());
                escrow.path("party_tokens").fields().forEachRemaining(t -> tokens.put(name + "/" + t.getKey(), t.getValue().asText()));
            }
            Map<String, PartyWallets.Wallet> wallets = new HashMap<>();
            for (var w : starting.entrySet()) {
                wallets.put(w.getKey(), w.getValue().get());
            }
            // The parties' clients run the 2-of-3 setup with their own wallets, four escrows at once.
            Map<String, Process> joins = new HashMap<>();
            for (String key : wallets.keySet()) {
                String name = key.substring(0, key.indexOf('/'));
                String role = key.substring(key.indexOf('/') + 1);
                joins.put(key, parties.partyClient(service, ids.get(name), role, tokens.get(key), wallets.get(key)));
            }
            for (String key : wallets.keySet()) {
                parties.finish(joins.get(key), wallets.get(key));
            }
            for (String name : names) {
                assertEquals("READY", get("/api/escrow/" + ids.get(name)).path("status").asText());
                assertTrue(run("fund " + ids.get(name)).contains("funding: FUNDED"));
            }
            Party p = new Party(parties, service, ids, tokens, wallets);

            // Release. Both sync epoch 1; a transaction set paying somebody else is refused before anyone signs it,
            // and a new epoch opens.
            String id = ids.get("release");
            Process buyerSynced = p.run("release", "buyer", "sync"); // each waits for the other's export
            p.await(p.run("release", "vendor", "sync"), "release", "vendor", 0);
            p.await(buyerSynced, "release", "buyer", 0);
            PartyWallets.Wallet vendor = wallets.get("release/vendor");
            PartyWallets.Wallet buyer = wallets.get("release/buyer");
            String tampered = parties.rpc(vendor, "sweep_all", Map.of("address", other)).path("multisig_txset").asText();
            JsonNode refused = p.put("release", "vendor", "/payout", Map.of("kind", "release", "multisig_txset", tampered));
            assertProblem(refused, 422, "txset-refused");
            assertTrue(refused.path("reason").asText().contains("another address"), refused.toString());
            assertEquals(2, refused.path("epoch").asInt(), refused.toString());
            // A set built on epoch 1's data is stale now: said before anyone signs it, naming who has not synced epoch 2.
            String old = parties.rpc(vendor, "sweep_all", Map.of("address", vendorPayee)).path("multisig_txset").asText();
            JsonNode stale = p.put("release", "vendor", "/payout", Map.of("kind", "release", "multisig_txset", old));
            assertProblem(stale, 409, "stale-multisig-data");
            assertEquals("[\"buyer\",\"vendor\"]", stale.path("stale_roles").toString(), stale.toString());
            // What the check spared: once the buyer exported epoch 2's info, its wallet can no longer sign epoch 1's set.
            Process buyerSync = p.run("release", "buyer", "sync");
            Process release = p.run("release", "vendor", "release");
            p.await(buyerSync, "release", "buyer", 0);
            IllegalStateException minus35 = assertThrows(IllegalStateException.class,
                    () -> parties.rpc(buyer, "sign_multisig", Map.of("tx_data_hex", old)));
            assertTrue(minus35.getMessage().contains("-35"), minus35.getMessage());
            JsonNode pending = awaitPayout(id, "buyer");
            assertEquals(2, pending.path("parties_payout").path("sync_epoch").asInt(), "the refused set opened epoch 2; a stale one opens none: " + pending);
            // kill -9 of escrow-service while the payout waits for the buyer's signature; restarted, it pays exactly once.
            long pid = Long.parseLong(Files.readString(home.resolve("pids/escrow-service.pid")).trim());
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
            StackRunner.Result again = stack.stack("up");
            assertEquals(0, again.exit(), again.output());
            release.destroy();
            String txHash = lastLine(p.await(p.run("release", "buyer", "sign"), "release", "buyer", 0));
            // Submitted, in the pool: the escrow is paid when the arbiter's wallet sees the transaction in a block.
            assertEquals("PAYOUT_PENDING", get("/api/escrow/" + id).path("status").asText());
            run("mine 1 " + miner);
            JsonNode released = awaitStatus(id, "RELEASED");
            assertEquals(List.of(txHash), List.of(released.path("payout").path("tx_hashes").get(0).asText()), released.toString());
            assertEquals(1, released.path("payout").path("tx_hashes").size(), released.toString());
            assertEquals(XMR, released.path("payout").path("amount").asLong() + released.path("payout").path("fee").asLong());
            long toVendor = released.path("payout").path("amount").asLong();

            // Refund: the buyer builds, the vendor signs.
            Process refund = p.run("refund", "buyer", "refund");
            p.await(p.run("refund", "vendor", "sign"), "refund", "vendor", 0);
            refund.destroy();
            run("mine 1 " + miner);
            JsonNode refunded = awaitStatus(ids.get("refund"), "REFUNDED");
            long toBuyer = refunded.path("payout").path("amount").asLong();

            // Disputes: the arbiter's wallet builds to the winner and signs its half; the winner signs and submits.
            String forBuyer = ids.get("resolve-buyer");
            assertEquals("DISPUTED", post("/api/escrow/" + forBuyer + "/dispute", Map.of("raised_by", "buyer", "reason", "never came"))
                    .path("status").asText());
            JsonNode ruling = post("/api/escrow/" + forBuyer + "/resolve", Map.of("winner", "buyer"));
            // The buyer has not synced the dispute's epoch yet: the ruling is recorded (202) and built when it does.
            assertEquals("DISPUTED", ruling.path("status").asText(), ruling.toString());
            assertEquals("buyer", ruling.path("parties_payout").path("ruling").asText(), ruling.toString());
            p.await(p.run("resolve-buyer", "buyer", "sync"), "resolve-buyer", "buyer", 0);
            awaitPayout(forBuyer, "buyer");
            p.await(p.run("resolve-buyer", "buyer", "sign"), "resolve-buyer", "buyer", 0);
            run("mine 1 " + miner);
            toBuyer += awaitStatus(forBuyer, "RESOLVED").path("payout").path("amount").asLong();

            // A winner who does not sign is visible (who, since when, overdue), and the arbiter re-issues.
            String forVendor = ids.get("resolve-vendor");
            post("/api/escrow/" + forVendor + "/dispute", Map.of("raised_by", "vendor", "reason", "never paid"));
            p.await(p.run("resolve-vendor", "vendor", "sync"), "resolve-vendor", "vendor", 0);
            JsonNode built = post("/api/escrow/" + forVendor + "/resolve", Map.of("winner", "vendor"));
            assertEquals("PAYOUT_PENDING", built.path("status").asText(), built.toString());
            JsonNode overdue = get("/api/escrow/" + forVendor);
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!overdue.path("parties_payout").path("overdue").asBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(1000);
                overdue = get("/api/escrow/" + forVendor);
            }
            assertTrue(overdue.path("parties_payout").path("overdue").asBoolean(), overdue.toString());
            assertEquals("vendor", overdue.path("parties_payout").path("waiting_for").asText(), overdue.toString());
            JsonNode reissued = post("/api/escrow/" + forVendor + "/resolve", Map.of("winner", "vendor"));
            assertEquals("DISPUTED", reissued.path("status").asText(), reissued.toString());
            p.await(p.run("resolve-vendor", "vendor", "sync"), "resolve-vendor", "vendor", 0);
            awaitPayout(forVendor, "vendor");
            p.await(p.run("resolve-vendor", "vendor", "sign"), "resolve-vendor", "vendor", 0);
            run("mine 1 " + miner);
            JsonNode resolved = awaitStatus(forVendor, "RESOLVED");
            Path vendorFile = home.resolve("escrow_" + forVendor + ".json");
            awaitEvents(vendorFile, "RESOLVED");
            assertTrue(Files.readString(vendorFile).contains("signer-overdue"), "the overdue winner is in the escrow's file too");
            assertEquals(1, resolved.path("payout").path("tx_hashes").size(), resolved.toString());
            toVendor += resolved.path("payout").path("amount").asLong();

            // Exactly one transaction per escrow, to the right address: the payees' balances after confirmation.
            run("mine 10 " + miner);
            assertEquals(toVendor, balance("p-vendor-payee"), "vendor payee: the release and the vendor's ruling");
            assertEquals(toBuyer, balance("p-buyer-payee"), "buyer payee: the refund and the buyer's ruling");
            assertEquals(0, balance("p-somebody-else"), "the tampered set paid nobody");

            // The release's file names the refused set's sender and the stale parties, hashes only.
            Path file = home.resolve("escrow_" + id + ".json");
            awaitEvents(file, "RELEASED");
            String text = Files.readString(file);
            assertTrue(text.contains("PARTY_PAYOUT") && text.contains("REFUSED") && text.contains("stale"), "payout steps in the file");
            assertFalse(text.contains(tampered.substring(0, 64)), "no tx set in the file");
            assertEquals(-1, Hashes.rawMultisigInfoAt(text), "no raw multisig info in the file");
            // One diagnosis everywhere: the analyzer's CLI and trace-exporter's API name the refused set's sender.
            JsonNode cli = json.readTree(stack.shell(StackRunner.ROOT.resolve("tools/analyze-escrow") + " --diagnose --json " + file + " 2>/dev/null")
                    .output()).path("escrows").get(0).path("diagnosis").path("root_cause");
            JsonNode api = json.readTree(stack.shell("curl -s http://127.0.0.1:" + stack.env.get("EXPORTER_HTTP_PORT") + "/api/traces/" + id
                    + "/diagnosis").output());
            JsonNode apiCause = api.has("root_cause") ? api.path("root_cause") : api.path("diagnosis").path("root_cause");
            for (JsonNode cause : List.of(cli, apiCause)) {
                assertEquals("TXSET_REFUSED", cause.path("pattern").asText(), cli + " / " + api);
                assertEquals("vendor", cause.path("role").asText(), cause.toString());
            }
            System.out.printf("funds-figures: non-custodial: release %s, refund %s, two rulings (one re-issued after the winner was"
                    + " overdue): one transaction each; a tampered set refused, a stale one named before signing (-35 avoided)%n", id,
                    ids.get("refund"));
        } finally {
            pool.shutdownNow();
            TempDirs.deleteQuietly(partiesDir);
        }
    }

    /** The parties' clients of the non-custodial escrows, by escrow name and role. */
    private record Party(PartyWallets parties, String service, Map<String, String> ids, Map<String, String> tokens,
            Map<String, PartyWallets.Wallet> wallets) {

        Process run(String name, String role, String command) throws Exception {
            return parties.partyCommand(command, service, ids.get(name), role, tokens.get(name + "/" + role), wallets.get(name + "/" + role),
                    "--wait-seconds", "240");
        }

        /** Waits for a client's exit code; its stdout (what it printed: a tx hash, an address). */
        String await(Process client, String name, String role, int exit) throws Exception {
            String out = new String(client.getInputStream().readAllBytes()).trim();
            parties.outcome(client, wallets.get(name + "/" + role), exit);
            return out;
        }

        JsonNode put(String name, String role, String path, Map<String, ?> body) throws Exception {
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(service + "/api/escrow/" + ids.get(name) + "/parties/" + role + path))
                    .header("Content-Type", "application/json").header("Party-Token", tokens.get(name + "/" + role))
                    .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(new ObjectMapper().writeValueAsString(body)))
                    .timeout(Duration.ofSeconds(120)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return new ObjectMapper().readTree(r.body());
        }
    }

    private JsonNode awaitPayout(String id, String signer) throws Exception {
        JsonNode e = get("/api/escrow/" + id);
        long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
        while (!(e.path("status").asText().equals("PAYOUT_PENDING") && signer.equals(e.path("parties_payout").path("waiting_for").asText()))
                && System.nanoTime() < deadline) {
            Thread.sleep(500);
            e = get("/api/escrow/" + id);
        }
        assertEquals("PAYOUT_PENDING", e.path("status").asText(), e.toString());
        return e;
    }

    private JsonNode awaitStatus(String id, String status) throws Exception {
        JsonNode e = get("/api/escrow/" + id);
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!e.path("status").asText().equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            e = get("/api/escrow/" + id);
        }
        assertEquals(status, e.path("status").asText(), e.toString());
        return e;
    }

    @Test
    @Order(3)
    void escrowsPayOutExactlyOnceOnARegtestChain() throws Exception {
        String buyerPayee = lastLine(run("wallet buyer-payee"));
        String vendorPayee = lastLine(run("wallet vendor-payee"));
        String miner = lastLine(run("wallet miner"));

        // Seven escrows, set up three at a time (the pool's capacity).
        List<String> names = List.of("release", "refund", "resolve-vendor", "resolve-buyer", "race", "underfunded", "killed");
        Map<String, String> ids = new HashMap<>();
        ExecutorService three = Executors.newFixedThreadPool(3);
        Map<String, Future<JsonNode>> inits = new HashMap<>();
        for (String name : names) {
            long amount = name.equals("underfunded") ? 2 * XMR : XMR;
            inits.put(name, three.submit(() -> post("/api/escrow/init", Map.of("buyer_id", "b-" + name, "vendor_id", "v-" + name,
                    "amount", amount, "buyer_payout_address", buyerPayee, "vendor_payout_address", vendorPayee))));
        }
        for (String name : names) {
            JsonNode escrow = inits.get(name).get();
            assertEquals("READY", escrow.path("status").asText(), escrow.toString());
            ids.put(name, escrow.path("escrow_id").asText());
        }

        // Nothing can be paid out of an escrow that received nothing.
        assertProblem(post("/api/escrow/" + ids.get("release") + "/release", Map.of()), 409, "escrow-state-conflict");

        for (String name : names) {
            String funded = run("fund " + ids.get(name) + (name.equals("underfunded") ? " " + XMR : ""));
            assertTrue(funded.contains(name.equals("underfunded") ? "funding: UNDERFUNDED" : "funding: FUNDED"), funded);
        }

        // Underfunded stays awaiting funds; topped up beyond the amount it is FUNDED, the surplus shown.
        String under = ids.get("underfunded");
        JsonNode short1 = get("/api/escrow/" + under + "/funding");
        assertEquals("UNDERFUNDED", short1.path("state").asText(), short1.toString());
        assertEquals("READY", short1.path("escrow_status").asText());
        assertEquals(XMR, short1.path("received").asLong());
        assertProblem(post("/api/escrow/" + under + "/release", Map.of()), 409, "escrow-state-conflict");
        run("fund " + under + " " + (XMR + XMR / 2));
        JsonNode over = get("/api/escrow/" + under + "/funding");
        assertEquals("OVERFUNDED", over.path("state").asText(), over.toString());
        assertEquals(XMR / 2, over.path("surplus").asLong());
        assertEquals("FUNDED", get("/api/escrow/" + under).path("status").asText());

        Map<String, Long> owed = new HashMap<>(Map.of("buyer", 0L, "vendor", 0L));
        List<Long> payoutMs = new ArrayList<>();

        // Release, then every further payout refused.
        JsonNode released = paid(post("/api/escrow/" + ids.get("release") + "/release", Map.of()), "RELEASED", vendorPayee, XMR, owed,
                "vendor");
        assertProblem(post("/api/escrow/" + ids.get("release") + "/release", Map.of()), 409, "already-paid-out");
        assertProblem(post("/api/escrow/" + ids.get("release") + "/refund", Map.of()), 409, "already-paid-out");

        paid(post("/api/escrow/" + ids.get("refund") + "/refund", Map.of()), "REFUNDED", buyerPayee, XMR, owed, "buyer");

        for (String winner : List.of("vendor", "buyer")) {
            String id = ids.get("resolve-" + winner);
            JsonNode disputed = post("/api/escrow/" + id + "/dispute", Map.of("raised_by", "buyer", "reason", "not as described"));
            assertEquals("DISPUTED", disputed.path("status").asText(), disputed.toString());
            assertProblem(post("/api/escrow/" + id + "/release", Map.of()), 409, "escrow-state-conflict");
            assertProblem(post("/api/escrow/" + id + "/resolve", Map.of("winner", winner), "marketplace"), 403, "forbidden");
            assertProblem(post("/api/escrow/" + id + "/resolve", Map.of("winner", "nobody")), 400, "validation-failed");
            paid(post("/api/escrow/" + id + "/resolve", Map.of("winner", winner)), "RESOLVED",
                    winner.equals("buyer") ? buyerPayee : vendorPayee, XMR, owed, winner);
        }

        // A release racing a refund: one pays, the other is refused.
        String race = ids.get("race");
        Callable<JsonNode> release = () -> post("/api/escrow/" + race + "/release", Map.of());
        Callable<JsonNode> refund = () -> post("/api/escrow/" + race + "/refund", Map.of());
        List<Future<JsonNode>> racing = three.invokeAll(List.of(release, refund));
        List<JsonNode> answers = List.of(racing.get(0).get(), racing.get(1).get());
        List<JsonNode> won = answers.stream().filter(a -> a.has("tx_hash")).toList();
        assertEquals(1, won.size(), "exactly one payout: " + answers);
        JsonNode refused = answers.stream().filter(a -> !a.has("tx_hash")).findFirst().orElseThrow();
        assertEquals(409, refused.path("status").asInt(), refused.toString());
        assertTrue(List.of("payout-in-progress", "already-paid-out").contains(refused.path("type").asText().replaceFirst(".*:", "")),
                refused.toString());
        boolean releaseWon = won.get(0).path("status").asText().equals("RELEASED");
        paid(won.get(0), releaseWon ? "RELEASED" : "REFUNDED", releaseWon ? vendorPayee : buyerPayee, XMR, owed,
                releaseWon ? "vendor" : "buyer");

        // kill -9 of escrow-service in the middle of a release, then a restart: paid exactly once.
        String killed = ids.get("killed");
        Future<JsonNode> cutOff = three.submit(() -> post("/api/escrow/" + killed + "/release", Map.of()));
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode midway = get("/api/escrow/" + killed);
        while (midway.path("payout").path("attempts").asInt() < 1 && System.nanoTime() < deadline) {
            Thread.sleep(50);
            midway = get("/api/escrow/" + killed);
        }
        assertEquals("PAYOUT_PENDING", midway.path("status").asText(), "caught in the middle: " + midway);
        long pid = Long.parseLong(Files.readString(home.resolve("pids/escrow-service.pid")).trim());
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertThrows(Exception.class, cutOff::get, "the client's connection died with the service");
        StackRunner.Result again = stack.stack("up");
        assertEquals(0, again.exit(), again.output());
        JsonNode resumed = get("/api/escrow/" + killed);
        deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (resumed.path("status").asText().equals("PAYOUT_PENDING") && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            resumed = get("/api/escrow/" + killed);
        }
        assertEquals("RELEASED", resumed.path("status").asText(), resumed.toString());
        assertEquals(1, resumed.path("payout").path("tx_hashes").size(), resumed.toString());
        owed.merge("vendor", resumed.path("payout").path("amount").asLong(), Long::sum);
        assertEquals(XMR, resumed.path("payout").path("amount").asLong() + resumed.path("payout").path("fee").asLong());
        assertTrue(Files.readString(home.resolve("logs/escrow-service.log")).contains("escrow " + killed + ": resuming its release"));

        // The payees got exactly what the payouts said: one payout each, nothing twice.
        run("mine 10 " + miner);
        assertEquals(owed.get("vendor"), balance("vendor-payee"), "vendor payee");
        assertEquals(owed.get("buyer"), balance("buyer-payee"), "buyer payee");

        // The escrow's file tells the funds story, with hashes only.
        String id = ids.get("release");
        Path file = home.resolve("escrow_" + id + ".json");
        JsonNode events = awaitEvents(file, "RELEASED");
        List<String> types = new ArrayList<>();
        events.forEach(e -> types.add(e.path("event_type").asText() + (e.path("details").has("state")
                ? ":" + e.path("details").path("state").asText() : "")));
        for (String expected : List.of("STATE_CHANGE:READY", "SNAPSHOT_FUNDED", "STATE_CHANGE:FUNDED", "STATE_CHANGE:PAYOUT_PENDING",
                "SNAPSHOT_PRE_PAYOUT", "SNAPSHOT_POST_PAYOUT_IMPORT", "SNAPSHOT_POST_PAYOUT", "STATE_CHANGE:RELEASED")) {
            assertTrue(types.contains(expected), expected + " in " + types);
        }
        String text = Files.readString(file);
        assertTrue(text.contains(released.path("tx_hash").asText()), "the payout's tx hash is in the file");
        assertEquals(-1, Hashes.rawMultisigInfoAt(text), "no raw multisig info in the file");
        long payoutStart = 0;
        long payoutEnd = 0;
        int calls = 0;
        for (JsonNode e : events) {
            String state = e.path("details").path("state").asText();
            if (state.equals("PAYOUT_PENDING")) {
                payoutStart = e.path("timestamp").asLong();
            } else if (state.equals("RELEASED")) {
                payoutEnd = e.path("timestamp").asLong();
                payoutMs.add(e.path("details").path("duration_ms").asLong());
            } else if (payoutStart > 0 && payoutEnd == 0 && e.path("event_type").asText().equals("RPC_CALL_END")) {
                calls++;
            }
        }
        assertTrue(calls >= 7, "export ×2, import ×2, sweep, sign, submit at least: " + calls);
        System.out.printf("funds-figures: payout of escrow %s: %d wallet RPC calls (snapshots and syncs included), %d ms from the"
                + " release request to RELEASED%n", id, calls, payoutMs.get(0));

        three.shutdownNow();
        assertEquals(0, stack.stack("down").exit());
        // Instrumented, funds path included: nothing the stack wrote or sent holds key material or a secret,
        // the spans a collector got included.
        SecretScan.Result scan = SecretScan.of(home);
        long spanBytes = Files.size(home.resolve("collector/spans.otlp"));
        assertTrue(spanBytes > 0, "the collector got the run's spans");
        System.out.printf("funds-figures: secrets scan of %d files (%d escrow files, %d bytes of spans): %d leaks%n", scan.files(),
                scan.escrowFiles(), spanBytes, scan.leaks().size());
        assertEquals(List.of(), scan.leaks());
        assertEquals(List.of(), WalletRpcProcesses.under(home), "no wallet-rpc left running");
        assertTrue(ProcessHandle.of(monerod).map(p -> !p.isAlive()).orElse(true), "./stack down stops monerod");
        stack = null;
    }

    /** Checks a payout answer, and adds what the payee gets to what it is owed. */
    private JsonNode paid(JsonNode payout, String status, String address, long funded, Map<String, Long> owed, String payee) {
        assertEquals(status, payout.path("status").asText(), payout.toString());
        assertTrue(payout.path("tx_hash").asText().matches("[0-9a-f]{64}"), payout.toString());
        assertEquals(address, payout.path("address").asText());
        long fee = payout.path("fee").asLong();
        assertTrue(fee > 0 && fee < funded / 100, "a network fee: " + payout);
        assertEquals(funded, payout.path("amount").asLong() + fee, "everything at the escrow address less the fee: " + payout);
        owed.merge(payee, payout.path("amount").asLong(), Long::sum);
        return payout;
    }

    private JsonNode awaitEvents(Path file, String state) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (true) {
            if (Files.exists(file)) {
                JsonNode root = json.readTree(file.toFile());
                JsonNode events = root.isArray() ? root : root.path("events");
                for (JsonNode e : events) {
                    if (state.equals(e.path("details").path("state").asText())) {
                        return events;
                    }
                }
            }
            assertTrue(System.nanoTime() < deadline, "no " + state + " in " + file);
            Thread.sleep(500);
        }
    }

    private long balance(String wallet) throws Exception {
        String line = lastLine(run("balance " + wallet));
        String[] parts = line.split(" ");
        return Long.parseLong(parts[2]); // "NAME balance B unlocked U"
    }

    private String run(String command) throws Exception {
        StackRunner.Result r = stack.shell(StackRunner.ROOT.resolve("stack") + " " + command);
        assertEquals(0, r.exit(), command + ": " + r.output());
        return r.output();
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1].strip();
    }

    private JsonNode get(String path) throws Exception {
        return json.readTree(stack.shell("curl -s http://127.0.0.1:" + port + path).output());
    }

    /** As the README's curl: the marketplace by the launcher's loopback default; a resolve with the arbiter's token. */
    private JsonNode post(String path, Map<String, ?> body) throws Exception {
        return post(path, body, path.endsWith("/resolve") ? "arbiter" : null);
    }

    private JsonNode post(String path, Map<String, ?> body, String role) throws Exception {
        Path request = Files.createTempFile(home, "body", ".json");
        Files.writeString(request, json.writeValueAsString(body));
        String token = role == null ? "" : " -H \"Authorization: Bearer $(cat " + home.resolve("jwt/" + role + ".jwt") + ")\"";
        StackRunner.Result r = stack.shell("curl -s --max-time 300 -X POST -H 'Content-Type: application/json'" + token
                + " --data-binary @" + request + " http://127.0.0.1:" + port + path);
        if (r.output().isBlank()) {
            throw new IllegalStateException("no answer to POST " + path + " (exit " + r.exit() + ")");
        }
        return json.readTree(r.output());
    }

    private static void assertProblem(JsonNode problem, int status, String type) {
        assertEquals(status, problem.path("status").asInt(), problem.toString());
        assertEquals(type, problem.path("type").asText().replaceFirst(".*:", ""), problem.toString());
    }
}
