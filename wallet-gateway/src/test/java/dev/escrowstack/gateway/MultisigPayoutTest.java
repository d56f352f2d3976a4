package dev.escrowstack.gateway;

import static dev.escrowstack.gateway.support.Gateway.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.support.Gateway.Lease;
import dev.escrowstack.gateway.support.RegtestDaemon;
import dev.escrowstack.telemetry.SpanNames;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * The funds path's building block, through the gateway's typed operations on real monero-wallet-rpc
 * against a real monerod regtest chain: a 2-of-3 wallet is funded, exchanges its multisig info, and two
 * of its wallets pay out — one sweeps the balance to the payee, another signs and submits it.
 */
@QuarkusTest
@TestProfile(MultisigPayoutTest.Regtest.class)
@QuarkusTestResource(value = RegtestDaemon.class, restrictToAnnotatedClass = true)
class MultisigPayoutTest {

    public static class Regtest implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("gateway.pool.size", "4", "gateway.wallets.spares", "4", "gateway.pool.base-port", "18400",
                    "gateway.data-dir", "target/gateway-regtest-data");
        }
    }

    static final List<String> ROLES = List.of("buyer", "vendor", "arbiter");
    static final long PAYOUT = 1_000_000_000_000L; // 1 XMR
    static final io.opentelemetry.api.common.AttributeKey<String> LEASE_ID_KEY =
            io.opentelemetry.api.common.AttributeKey.stringKey(dev.escrowstack.telemetry.EscrowAttributes.LEASE_ID);

    @Inject
    InMemorySpanExporter spans;

    @Test
    void aFundedTwoOfThreeWalletPaysOutWithTwoSignatures() throws Exception {
        awaitIdlePool(4);
        Lease escrow = Lease.of(lease("esc-payout", newWallets("buyer", "vendor", "arbiter"), 60));
        Lease payee = Lease.of(lease("esc-payout-payee", newWallets("vendor"), 60));
        String address = setUp(escrow);
        String payeeAddress = payee.call().get(payee.path("vendor", "state")).then().statusCode(200).extract().path("address");

        // Funding: coinbase to the multisig address; 60 confirmations unlock it.
        RegtestDaemon.generateBlocks(80, address);
        for (String role : ROLES) {
            escrow.call().post(escrow.path(role, "refresh")).then().statusCode(200);
        }
        JsonPath funded = escrow.call().get(escrow.path("buyer", "state")).then().statusCode(200).extract().jsonPath();
        assertTrue(funded.getLong("unlocked_balance") > PAYOUT, "funded: " + funded.prettify());

        long startedEpochNanos = System.currentTimeMillis() * 1_000_000L;
        long started = System.nanoTime();
        // What escrow-service does for a payout: the two wallets involved exchange their multisig info (the
        // partial key images), one sweeps everything to the payee and the other signs and submits.
        String builder = "arbiter";
        String signer = "buyer";
        String fromBuilder = escrow.call().post(escrow.path(builder, "multisig/export")).then().statusCode(200).extract().path("info");
        String fromSigner = escrow.call().post(escrow.path(signer, "multisig/export")).then().statusCode(200).extract().path("info");
        escrow.call().body(Map.of("info", List.of(fromSigner))).post(escrow.path(builder, "multisig/import")).then().statusCode(200);
        escrow.call().body(Map.of("info", List.of(fromBuilder))).post(escrow.path(signer, "multisig/import")).then().statusCode(200);
        JsonPath swept = escrow.call().body(Map.of("address", payeeAddress)).post(escrow.path(builder, "sweep")).then().statusCode(200)
                .extract().jsonPath();
        String txset = swept.getString("multisig_txset");
        assertFalse(txset.isEmpty(), "a multisig wallet's sweep is a tx set to sign");
        assertTrue(swept.getLong("amount") > PAYOUT && swept.getLong("fee") > 0, swept.prettify());
        JsonPath signed = escrow.call().body(Map.of("tx_data_hex", txset)).post(escrow.path(signer, "sign")).then().statusCode(200)
                .extract().jsonPath();
        List<String> submitted = escrow.call().body(Map.of("tx_data_hex", signed.getString("tx_data_hex")))
                .post(escrow.path(signer, "submit")).then().statusCode(200).extract().jsonPath().getList("tx_hash_list");
        long payoutMs = (System.nanoTime() - started) / 1_000_000;
        assertEquals(1, submitted.size(), "one transaction sweeps the wallet");
        assertEquals(signed.getList("tx_hash_list"), submitted, "the hash is known once signed (a multisig sweep has none yet)");
        // Spans are exported in batches: wait for the last call's.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> payoutCalls(escrow, startedEpochNanos).contains("submit_multisig"));
        List<String> methods = payoutCalls(escrow, startedEpochNanos);
        long rpcCalls = methods.size();
        System.out.printf("payout: %d wallet RPC calls, %d ms from funded to submitted%n", rpcCalls, payoutMs);
        assertEquals(List.of("export_multisig_info", "export_multisig_info", "import_multisig_info", "import_multisig_info",
                "sign_multisig", "submit_multisig", "sweep_all"), methods);

        // The submitting wallet lists the payout as an outgoing transfer: how a restarted service finds out it paid.
        List<String> outgoing = escrow.call().get(escrow.path(signer, "transfers")).then().statusCode(200).extract().jsonPath()
                .getList("transfers.findAll { it.type == 'pending' || it.type == 'out' }.tx_hash");
        assertEquals(submitted, outgoing);

        RegtestDaemon.generateBlocks(10, address);
        payee.call().post(payee.path("vendor", "refresh")).then().statusCode(200);
        JsonPath paid = payee.call().get(payee.path("vendor", "state")).then().statusCode(200).extract().jsonPath();
        assertEquals(swept.getLong("amount"), paid.getLong("balance"), "the payee got everything less the fee");
        List<Long> confirmations = payee.call().get(payee.path("vendor", "transfers")).then().statusCode(200).extract().jsonPath()
                .getList("transfers.confirmations", Long.class);
        assertEquals(1, confirmations.size());
        assertTrue(confirmations.get(0) >= 10, "mined into a block and confirmed: " + confirmations);
        escrow.release();
        payee.release();
    }

    /** The wallet RPC methods called under {@code lease} since {@code sinceEpochNanos}, sorted. */
    private List<String> payoutCalls(Lease lease, long sinceEpochNanos) {
        return spans.getFinishedSpanItems().stream()
                .filter(s -> SpanNames.isWalletRpc(s.getName()) && lease.id().equals(s.getAttributes().get(LEASE_ID_KEY))
                        && s.getStartEpochNanos() >= sinceEpochNanos)
                .map(s -> s.getName().substring(s.getName().indexOf('/') + 1)).sorted().toList();
    }

    /** The 2-of-3 setup; returns the multisig address all three agree on. */
    private static String setUp(Lease lease) {
        Map<String, String> infos = new HashMap<>();
        for (String role : ROLES) {
            infos.put(role, lease.call().post(lease.path(role, "multisig/prepare")).then().statusCode(200).extract().path("multisig_info"));
        }
        return MultisigSetupTest.completeSetup(lease, infos);
    }
}
