package dev.escrowstack.telemetry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The one way key material may appear in telemetry: as its SHA-256. */
public final class Hashes {

    /**
     * A raw multisig info as monero-wallet-rpc 0.18 prints one: the word Multisig, an optional x, a version
     * (V and a digit) and a long base58 body. Wallet error messages that merely mention multisig do not match.
     */
    private static final Pattern RAW_MULTISIG_INFO = Pattern.compile("Multisigx?V\\d[1-9A-HJ-NP-Za-km-z]{20,}");

    private Hashes() {
    }

    /** Where a raw multisig info starts in {@code text}, or -1: for the scans that prove none leaked. */
    public static int rawMultisigInfoAt(String text) {
        Matcher m = RAW_MULTISIG_INFO.matcher(text);
        return m.find() ? m.start() : -1;
    }

    public static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }
}
