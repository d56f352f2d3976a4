package dev.escrowstack.gateway.lease;

import java.util.Optional;

import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.gateway.process.WalletProcess;

/** What the slot book needs to know of a process, read once per decision: no I/O, no process behind it. */
public record ProcessView(int index, boolean healthy, Optional<OpenWallet> openWallet) {

    static ProcessView of(WalletProcess process) {
        return new ProcessView(process.index(), process.healthy(), process.openWallet());
    }

    boolean spareOpen() {
        return openWallet.map(OpenWallet::spare).orElse(false);
    }

    /** True when {@code walletId} was released here and is still open (parked). */
    boolean parks(String walletId) {
        return openWallet.map(w -> !w.spare() && w.walletId().equals(walletId)).orElse(false);
    }
}
