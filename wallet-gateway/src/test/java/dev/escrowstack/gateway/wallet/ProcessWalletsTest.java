package dev.escrowstack.gateway.wallet;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.support.ConfigStub;
import dev.escrowstack.gateway.support.Processes;
import io.opentelemetry.api.OpenTelemetry;

/**
 * A wallet leaving a process is never in neither place: its files are in the store before the process
 * lets go of it, so a lease request validated meanwhile finds it (LeaseRequestsTest). A process that
 * was never started takes no RPC, so closing moves files only.
 */
class ProcessWalletsTest {

    @TempDir
    Path data;

    private WalletProcess process;
    private final List<Boolean> heldByProcessWhileFilesMoved = new ArrayList<>();
    private WalletStore store;
    private ProcessWallets wallets;

    @BeforeEach
    void parkAWallet() throws IOException {
        GatewayConfig config = ConfigStub.answering(Map.of("dataDir", data, "walletSecret", "a-test-secret-of-32-characters.."));
        process = Processes.notStarted(0, data.resolve("rpc-0"));
        Files.createDirectories(process.walletDir());
        store = new WalletStore(config) {
            @Override
            public void checkIn(String id, boolean spare, Path processDir) throws IOException {
                heldByProcessWhileFilesMoved.add(process.openWallet().isPresent());
                super.checkIn(id, spare, processDir);
            }
        };
        store.init();
        wallets = new ProcessWallets(null, store, new WalletPasswords(config),
                new WalletFileSpans(OpenTelemetry.noop().getTracer("test")));
    }

    @Test
    void closingPutsTheFilesInTheStoreBeforeTheProcessLetsGo() throws IOException {
        String id = parked();

        wallets.close(process, RpcCallContext.maintenance(0, id));

        assertEquals(List.of(true), heldByProcessWhileFilesMoved);
        assertTrue(process.openWallet().isEmpty());
        assertTrue(store.existsClosed(id));
    }

    @Test
    void forgettingPutsTheFilesInTheStoreBeforeTheProcessLetsGo() throws IOException {
        String id = parked();

        wallets.forget(process);

        assertEquals(List.of(true), heldByProcessWhileFilesMoved);
        assertTrue(process.openWallet().isEmpty());
        assertTrue(store.existsClosed(id));
    }

    private String parked() throws IOException {
        String id = WalletStore.newId();
        Files.write(process.walletDir().resolve(id), new byte[] { 1 });
        Files.write(process.walletDir().resolve(id + ".keys"), new byte[] { 2 });
        process.openWallet(new OpenWallet(id, false));
        assertFalse(store.existsClosed(id));
        return id;
    }
}
