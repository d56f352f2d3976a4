package dev.escrowstack.gateway.wallet;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;

/**
 * Wallet passwords are derived, never stored: HMAC-SHA256 of the wallet id under the configured
 * secret. Losing the secret means losing access to every wallet, so it is configuration, not state.
 */
@ApplicationScoped
public class WalletPasswords {

    private final SecretKeySpec key;

    public WalletPasswords(GatewayConfig config) {
        String secret = config.walletSecret();
        if (secret.length() < 16) {
            throw new IllegalArgumentException("gateway.wallet-secret must be at least 16 characters");
        }
        this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    }

    public String passwordFor(String walletId) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return HexFormat.of().formatHex(mac.doFinal(("wallet-password:" + walletId).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }
}
