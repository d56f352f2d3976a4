package dev.escrowstack.gateway.lease;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.gateway.support.ConfigStub;
import dev.escrowstack.gateway.wallet.WalletStore;
import dev.escrowstack.problem.ProblemException;
import dev.escrowstack.telemetry.Role;

/**
 * Validation of a lease request against the wallets that exist, with no processes. The race it must
 * survive: the spare keeper evicting a parked wallet while the request is checked.
 */
class LeaseRequestsTest {

    @TempDir
    Path data;

    private final List<ProcessView> processes = new ArrayList<>();
    private FencingLedger ledger;

    @AfterEach
    void closeLedger() throws Exception {
        if (ledger != null) {
            ledger.close();
        }
    }

    @Test
    void aParkedWalletEvictedWhileTheRequestIsCheckedIsStillFound() throws Exception {
        String id = WalletStore.newId();
        processes.add(new ProcessView(0, true, Optional.of(new OpenWallet(id, false))));
        // The eviction completes while the store is looked at: not there yet, and no longer parked right after. A request
        // that looked at the store first, and only then asked whether the wallet is parked, got a 404 here.
        LeaseRequests requests = requests(new WalletStore(config()) {
            @Override
            public boolean existsClosed(String walletId) {
                processes.set(0, new ProcessView(0, true, Optional.empty()));
                return false;
            }
        });

        LeaseRequest request = requests.of("escrow", Map.of("arbiter", Optional.of(id)), null, null);

        assertEquals(Optional.of(id), request.wallets().get(Role.arbiter));
    }

    @Test
    void aWalletNobodyHasIsNotFound() throws Exception {
        processes.add(new ProcessView(0, true, Optional.empty()));
        WalletStore store = new WalletStore(config());
        store.init();
        String id = WalletStore.newId();

        ProblemException problem = assertThrows(ProblemException.class,
                () -> requests(store).of("escrow", Map.of("arbiter", Optional.of(id)), null, null));

        assertEquals(404, problem.status());
    }

    private LeaseRequests requests(WalletStore store) {
        ledger = new FencingLedger(FencingLedgerTest.config(data));
        return new LeaseRequests(config(), store, new LeaseRegistry(() -> List.copyOf(processes), ledger));
    }

    private GatewayConfig config() {
        GatewayConfig.Pool pool = ConfigStub.answering(GatewayConfig.Pool.class, Map.of("size", 1));
        GatewayConfig.Leases leases = ConfigStub.answering(GatewayConfig.Leases.class, Map.of("defaultTtl", Duration.ofMinutes(5),
                "maxTtl", Duration.ofMinutes(30), "defaultWait", Duration.ofSeconds(30), "maxWait", Duration.ofMinutes(5)));
        return ConfigStub.answering(Map.of("dataDir", data, "pool", pool, "leases", leases));
    }
}
