package dev.escrowstack.gateway.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Per-lease wallet-RPC logins, so that an unmodified monero-wallet-rpc client (monero-ts, anything written for
 * {@code --rpc-login}) works through the pass-through: HTTP digest, user name the lease id, password derived from
 * the lease id and its fencing token under a key drawn when this gateway started. Nothing is stored: a login is
 * checked by deriving it again from the lease as it is now, so an ended lease's login no longer opens anything,
 * and a restarted gateway (whose leases are gone) knows none of the old ones.
 */
@ApplicationScoped
public class LeaseLogins {

    /** What monero-wallet-rpc calls its realm; clients only echo it. */
    static final String REALM = "wallet-gateway";
    private static final long NONCE_LIFETIME_MS = 10 * 60 * 1000;

    private final SecretKeySpec key;

    public LeaseLogins() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        this.key = new SecretKeySpec(random, "HmacSHA256");
    }

    public String password(String leaseId, long fencingToken) {
        return HexFormat.of().formatHex(hmac("login:" + leaseId + ":" + fencingToken), 0, 16);
    }

    /** A server nonce: when it was made and a MAC over that, so any nonce of ours is recognised without a table. */
    String nonce() {
        String issued = Long.toString(System.currentTimeMillis());
        return issued + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(hmac("nonce:" + issued));
    }

    boolean fresh(String nonce) {
        int dot = nonce == null ? -1 : nonce.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        String issued = nonce.substring(0, dot);
        byte[] mac = Base64.getUrlEncoder().withoutPadding().encodeToString(hmac("nonce:" + issued)).getBytes(StandardCharsets.US_ASCII);
        try {
            long age = System.currentTimeMillis() - Long.parseLong(issued);
            return age >= 0 && age < NONCE_LIFETIME_MS
                    && MessageDigest.isEqual(mac, nonce.substring(dot + 1).getBytes(StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private byte[] hmac(String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(text.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JVM", e);
        }
    }
}
