package dev.escrowstack.escrow.parties;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

import dev.escrowstack.telemetry.Hashes;

/**
 * Each party's credential for one escrow: 32 random bytes, shown once at init; only its SHA-256 is
 * stored, so a leaked database does not let anyone submit as a party.
 */
final class PartyTokens {

    private static final SecureRandom RANDOM = new SecureRandom();

    private PartyTokens() {
    }

    static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return "pt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String hash(String token) {
        return Hashes.sha256Hex(token);
    }

    /** Constant-time, so the comparison says nothing about how much of a guess was right. */
    static boolean matches(String token, String storedHash) {
        if (token == null || storedHash == null) {
            return false;
        }
        return MessageDigest.isEqual(hash(token).getBytes(), storedHash.getBytes());
    }
}
