package dev.escrowstack.gateway.process;

import java.util.Optional;

/**
 * Fired after a crashed or hung wallet-rpc process has been restarted. {@code wallet} is what it had
 * open; {@code reopenError} is empty when that wallet is open again in the new process; {@code reopenNote} says
 * when that took a repair (cache rebuilt from the keys file).
 */
public record ProcessRestarted(WalletProcess process, String cause, long oldPid, int oldPort,
        Optional<OpenWallet> wallet, Optional<String> reopenError, Optional<String> reopenNote, long downtimeMillis) {
}
