package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import dev.escrowstack.gateway.rpc.RpcCallContext;

/**
 * What the pool needs from whoever keeps the wallet files, so that {@code process} depends on no wallet
 * class (the wallet package implements it): bring stray files home before the first start, reopen the
 * wallet of a restarted process, put a stopped process's wallet back.
 */
public interface WalletHome {

    /** Before the first start: the store exists, and every wallet file a previous run left in a process directory is in it again. */
    void bringHome(List<Path> processWalletDirs) throws IOException;

    /**
     * After a restart: opens again the wallet whose files are still in the process's directory, before any
     * lease call reaches it. Returns a note when that took a repair.
     */
    Optional<String> reopen(WalletProcess process, RpcCallContext context, String walletId);

    /** After a stop (the wallet closed, or the process gone): its files go back to the store. */
    void checkIn(OpenWallet wallet, Path processWalletDir) throws IOException;
}
