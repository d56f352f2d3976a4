package dev.escrowstack.gateway.wallet;

import static org.junit.jupiter.api.Assertions.*;


import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.support.ConfigStub;

class WalletPasswordsTest {

    static final String SECRET = "0123456789abcdef";

    /** Only walletSecret() is answered: the class under test must need nothing else. */
    static GatewayConfig config(String secret) {
        return ConfigStub.answering(Map.of("walletSecret", secret));
    }

    @Test
    void sameIdAndSecretGiveSamePasswordAcrossInstances() {
        // Passwords are never stored: after a restart the same one must come out, or wallets are lost.
        assertEquals(new WalletPasswords(config(SECRET)).passwordFor("w-0a1b"),
                new WalletPasswords(config(SECRET)).passwordFor("w-0a1b"));
    }

    @Test
    void derivationIsPinned() {
        // HMAC-SHA256(secret, "wallet-password:" + id), computed with openssl. Changing the derivation
        // would lock every existing wallet out.
        assertEquals("e1ebe1f9b9b526f74d854bd49bd7d4322d68d0b2306d0838062aa0d6669bafa9",
                new WalletPasswords(config(SECRET)).passwordFor("w-0a1b"));
    }

    @Test
    void differsBetweenIdsAndBetweenSecrets() {
        WalletPasswords passwords = new WalletPasswords(config(SECRET));
        assertNotEquals(passwords.passwordFor("w-0a1b"), passwords.passwordFor("w-0a1c"));
        assertNotEquals(passwords.passwordFor("w-0a1b"),
                new WalletPasswords(config(SECRET + "!")).passwordFor("w-0a1b"));
    }

    @Test
    void isSixtyFourHexChars() {
        assertTrue(new WalletPasswords(config(SECRET)).passwordFor("w-0a1b").matches("[0-9a-f]{64}"));
    }

    @Test
    void rejectsShortSecret() {
        assertThrows(IllegalArgumentException.class, () -> new WalletPasswords(config("0123456789abcde")));
        assertDoesNotThrow(() -> new WalletPasswords(config("0123456789abcdef")), "16 characters are enough");
    }
}
