package dev.escrowstack.gateway.wallet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.gateway.process.WalletHome;
import dev.escrowstack.gateway.process.WalletProcess;
import dev.escrowstack.gateway.rpc.RpcCallContext;
import dev.escrowstack.gateway.rpc.TracedWalletRpc;
import dev.escrowstack.gateway.rpc.WalletRpcError;
import io.quarkus.logging.Log;

/**
 * Puts wallets into processes and takes them out again: create, open, close, always under the
 * process's call lock, always moving the files between the store and the process directory so
 * that a wallet is in exactly one place. It is the pool's {@link WalletHome} too. Each operation is one
 * {@code wallet.file} span ({@link WalletFileSpans}): the FILE_OPERATION events of the escrow's file.
 */
@ApplicationScoped
public class ProcessWallets implements WalletHome {

    private final TracedWalletRpc rpc;
    private final WalletStore store;
    private final WalletPasswords passwords;
    private final WalletFileSpans files;

    public ProcessWallets(TracedWalletRpc rpc, WalletStore store, WalletPasswords passwords, WalletFileSpans files) {
        this.rpc = rpc;
        this.store = store;
        this.passwords = passwords;
        this.files = files;
    }

    /** Creates a fresh wallet (2–5 s of CPU in monero-wallet-rpc) and leaves it open. */
    public String create(WalletProcess process, RpcCallContext context, boolean spare) {
        return locked(process, () -> {
            closeLocked(process, context);
            String id = WalletStore.newId();
            return files.run("create", process, context, id, () -> {
                rpc.call(process.endpoint(), withWallet(context, id), "create_wallet",
                        Map.of("filename", id, "password", passwords.passwordFor(id), "language", "English"));
                process.openWallet(new OpenWallet(id, spare));
                return id;
            });
        });
    }

    /** Opens a closed wallet from the store in {@code process}, closing whatever it had open. */
    public void open(WalletProcess process, RpcCallContext context, String walletId, boolean spare) {
        locked(process, () -> {
            closeLocked(process, context);
            return files.run("open", process, context, walletId, () -> {
                try {
                    store.checkOut(walletId, spare, process.walletDir());
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot move wallet " + walletId + " into " + process, e);
                }
                try {
                    openWithRepair(process, withWallet(context, walletId), walletId);
                } catch (RuntimeException e) {
                    checkIn(walletId, spare, process);
                    throw e;
                }
                process.openWallet(new OpenWallet(walletId, spare));
                return null;
            });
        });
    }

    @Override
    public void bringHome(List<Path> processWalletDirs) throws IOException {
        store.init();
        store.reconcile(processWalletDirs);
    }

    @Override
    public void checkIn(OpenWallet wallet, Path processWalletDir) throws IOException {
        store.checkIn(wallet.walletId(), wallet.spare(), processWalletDir);
    }

    /**
     * Opens a wallet whose files are already in the process directory (after a restart). Returns a
     * note when the cache had to be rebuilt.
     */
    @Override
    public Optional<String> reopen(WalletProcess process, RpcCallContext context, String walletId) {
        return locked(process, () -> files.run("open", process, context, walletId,
                () -> openWithRepair(process, withWallet(context, walletId), walletId)));
    }

    /**
     * open_wallet; if the wallet refuses to load and a cache file exists, the cache is quarantined and
     * the wallet opened from its keys file alone. A process killed in the middle of make_multisig
     * leaves exactly that: new multisig keys next to a cache of the old address. A keys file encrypted
     * with another password fails the same way ("Failed to open wallet") and only the process's log
     * tells the two apart: that one is reported as such and its files are left alone.
     */
    private Optional<String> openWithRepair(WalletProcess process, RpcCallContext context, String walletId) {
        Map<String, String> params = Map.of("filename", walletId, "password", passwords.passwordFor(walletId));
        long logMark = process.logMark();
        try {
            rpc.call(process.endpoint(), context, "open_wallet", params);
            return Optional.empty();
        } catch (WalletRpcError e) {
            if (process.logSince(logMark).contains("error::invalid_password")) {
                throw new WalletPasswordMismatch(walletId);
            }
            if (!Files.exists(process.walletDir().resolve(walletId)) || !Files.exists(process.walletDir().resolve(walletId + ".keys"))) {
                throw e;
            }
            Path kept = files.run("quarantine", process, context, walletId, () -> {
                try {
                    return store.quarantineCache(walletId, process.walletDir());
                } catch (IOException io) {
                    throw new UncheckedIOException("cannot quarantine the cache of wallet " + walletId, io);
                }
            });
            rpc.call(process.endpoint(), context, "open_wallet", params);
            String note = "wallet " + walletId + " did not open (" + e.walletMessage() + "); its cache did not match its keys"
                    + " and was rebuilt from the keys file (old cache kept as " + kept.getFileName() + ")";
            Log.warn(note);
            return Optional.of(note);
        }
    }

    /** A spare open in {@code process} becomes an ordinary wallet: from now on it goes to {@code wallets/}. */
    public Optional<String> adoptSpare(WalletProcess process) {
        return locked(process, () -> {
            Optional<OpenWallet> open = process.openWallet().filter(OpenWallet::spare);
            open.ifPresent(w -> process.openWallet(new OpenWallet(w.walletId(), false)));
            return open.map(OpenWallet::walletId);
        });
    }

    /**
     * Stores the open wallet and leaves it open ("parked") in its process, so the next lease of the same
     * wallet needs no open_wallet. Whoever gets the process next closes it first.
     */
    public void park(WalletProcess process, RpcCallContext context) {
        locked(process, () -> {
            Optional<OpenWallet> open = process.openWallet();
            if (open.isPresent() && process.alive()) {
                String id = open.get().walletId();
                files.run("park", process, context, id, () -> rpc.call(process.endpoint(), withWallet(context, id), "store", Map.of()));
            } else if (open.isPresent()) {
                forget(process);
            }
            return null;
        });
    }

    /** Stores and closes the open wallet, if any, and moves its files back to the store. */
    public void close(WalletProcess process, RpcCallContext context) {
        locked(process, () -> {
            closeLocked(process, context);
            return null;
        });
    }

    /**
     * After a restart that could not reopen its wallet: the process has nothing open, so the files go
     * back to {@code wallets/} without an RPC (never to {@code spares/}: its state is unknown).
     */
    public void forget(WalletProcess process) {
        locked(process, () -> {
            process.openWallet().ifPresent(w -> files.run("move", process, null, w.walletId(), () -> {
                checkInThenForget(w.walletId(), false, process);
                return null;
            }));
            return null;
        });
    }

    private void closeLocked(WalletProcess process, RpcCallContext context) {
        Optional<OpenWallet> open = process.openWallet();
        if (open.isEmpty()) {
            return;
        }
        OpenWallet wallet = open.get();
        files.run("close", process, context, wallet.walletId(), () -> {
            if (process.alive()) {
                // close_wallet stores first (autosave_current); a dead process has nothing to store.
                rpc.call(process.endpoint(), withWallet(context, wallet.walletId()), "close_wallet",
                        Map.of("autosave_current", true));
            }
            checkInThenForget(wallet.walletId(), wallet.spare(), process);
            return null;
        });
    }

    /**
     * The files reach the store before the process lets go of the wallet: a lease request for it,
     * validated without this process's lock, then always finds it in one of the two places
     * ({@code LeaseRequests}). The other order left a moment in which it was in neither: a 404 for a
     * wallet that exists, while the spare keeper evicted it.
     */
    private void checkInThenForget(String walletId, boolean spare, WalletProcess process) {
        try {
            checkIn(walletId, spare, process);
        } finally {
            process.openWallet(null);
        }
    }

    private void checkIn(String walletId, boolean spare, WalletProcess process) {
        try {
            store.checkIn(walletId, spare, process.walletDir());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move wallet " + walletId + " out of " + process, e);
        }
    }

    private static RpcCallContext withWallet(RpcCallContext context, String walletId) {
        return new RpcCallContext(context.escrowId(), context.role(), context.leaseId(), walletId, context.processIndex());
    }

    private static <T> T locked(WalletProcess process, Supplier<T> work) {
        process.callLock().lock();
        try {
            return work.get();
        } finally {
            process.callLock().unlock();
        }
    }
}
