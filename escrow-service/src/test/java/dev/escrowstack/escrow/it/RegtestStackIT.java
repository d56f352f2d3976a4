package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.testsupport.WalletRpcProcesses;

/**
 * MONEROD=regtest ./stack up: a private regtest monerod beside the stack, the wallets synced to it. An
 * escrow set up there can be funded with ./stack mine, and its wallets see the coins.
 */
class RegtestStackIT {

    @TempDir
    Path home;

    StackRunner stack;

    @AfterEach
    void down() throws Exception {
        if (stack != null) {
            stack.stack("down");
        }
    }

    @Test
    void anEscrowOnTheRegtestChainIsFundedByMining() throws Exception {
        stack = new StackRunner(home);
        int escrowPort = stack.isolate(home, 18700, "regtest-it");
        stack.env.put("MONEROD", "regtest");
        stack.env.put("MONEROD_RPC_PORT", Integer.toString(StackRunner.portOr(18081)));
        stack.env.put("MONEROD_P2P_PORT", Integer.toString(StackRunner.portOr(18080)));
        StackRunner.Result up = stack.stack("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("monerod (regtest)"), up.output());
        long monerod = Long.parseLong(Files.readString(home.resolve("pids/monerod.pid")).trim());

        ObjectMapper json = new ObjectMapper();
        JsonNode escrow = json.readTree(stack.shell("curl -s -X POST http://localhost:" + escrowPort + "/api/escrow/init"
                + " -H 'Content-Type: application/json' -d '{\"buyer_id\": \"b\", \"vendor_id\": \"v\", \"amount\": 1000000}'").output());
        assertEquals("READY", escrow.path("status").asText(), escrow.toString());
        String address = escrow.path("multisig_address").asText();
        assertTrue(address.startsWith("4"), "a mainnet-type address on regtest: " + address);

        String funding = "curl -s http://localhost:" + escrowPort + "/api/escrow/" + escrow.path("escrow_id").asText() + "/funding";
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

        assertEquals(0, stack.stack("down").exit());
        assertTrue(ProcessHandle.of(monerod).map(p -> !p.isAlive()).orElse(true), "./stack down stops monerod");
        assertEquals(List.of(), WalletRpcProcesses.under(home));
        stack = null;
    }
}
