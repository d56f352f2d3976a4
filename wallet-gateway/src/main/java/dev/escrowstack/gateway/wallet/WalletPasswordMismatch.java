package dev.escrowstack.gateway.wallet;

/**
 * A wallet's keys file is encrypted with another password than the one the gateway derives for it: the
 * wallet secret changed (GATEWAY_WALLET_SECRET), or a caller changed the password through a gateway that
 * still forwarded callers' passwords. Nothing is wrong with the files, so nothing is quarantined.
 */
public class WalletPasswordMismatch extends RuntimeException {

    private final String walletId;

    public WalletPasswordMismatch(String walletId) {
        super("wallet " + walletId + " did not open: its keys file is encrypted with another password than this gateway"
                + " derives for it (was GATEWAY_WALLET_SECRET changed?); its files are left as they are");
        this.walletId = walletId;
    }

    public String walletId() {
        return walletId;
    }
}
