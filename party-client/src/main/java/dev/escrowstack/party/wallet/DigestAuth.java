package dev.escrowstack.party.wallet;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP digest (RFC 7616, MD5, qop=auth) as monero-wallet-rpc's {@code --rpc-login} asks for it; java.net.http has none.
 * One challenge is answered with an increasing nonce count; the wallet-rpc ties its nonce to the connection, which is
 * why {@link WalletRpc} answers a 401 right away, on the connection that received it.
 */
final class DigestAuth {

    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String realm;
    private final String nonce;
    private final String opaque;
    private int nonceCount;

    private DigestAuth(String realm, String nonce, String opaque) {
        this.realm = realm;
        this.nonce = nonce;
        this.opaque = opaque;
    }

    /** The MD5 challenge among a 401's WWW-Authenticate headers (the wallet-rpc offers MD5 and MD5-sess). */
    static Optional<DigestAuth> parse(List<String> headers) {
        for (String header : headers) {
            if (!header.regionMatches(true, 0, "Digest ", 0, 7)) {
                continue;
            }
            Map<String, String> params = params(header.substring(7));
            if (params.getOrDefault("algorithm", "MD5").equalsIgnoreCase("MD5") && params.containsKey("nonce")) {
                return Optional.of(new DigestAuth(params.getOrDefault("realm", ""), params.get("nonce"), params.get("opaque")));
            }
        }
        return Optional.empty();
    }

    static Map<String, String> params(String header) {
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(header);
        while (m.find()) {
            params.put(m.group(1).toLowerCase(Locale.ROOT), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return params;
    }

    synchronized String authorization(String method, String uri, String user, String password) {
        byte[] bytes = new byte[12];
        RANDOM.nextBytes(bytes);
        String cnonce = HexFormat.of().formatHex(bytes);
        String nc = String.format("%08x", ++nonceCount);
        String ha1 = md5(user + ":" + realm + ":" + password);
        String ha2 = md5(method + ":" + uri);
        String response = md5(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
        return "Digest username=\"" + user + "\", realm=\"" + realm + "\", nonce=\"" + nonce + "\", uri=\"" + uri
                + "\", algorithm=MD5, qop=auth, nc=" + nc + ", cnonce=\"" + cnonce + "\", response=\"" + response + "\""
                + (opaque == null ? "" : ", opaque=\"" + opaque + "\"");
    }

    static String md5(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is required by every JVM", e);
        }
    }
}
