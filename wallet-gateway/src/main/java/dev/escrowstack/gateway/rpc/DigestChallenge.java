package dev.escrowstack.gateway.rpc;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * HTTP Digest (RFC 2617, MD5, qop=auth) as monero-wallet-rpc's {@code --rpc-login} requires.
 * java.net.http has no digest support. A challenge is reused with an increasing nonce count, so a
 * call costs one round trip instead of two; a stale nonce just costs one extra 401.
 */
final class DigestChallenge {

    private static final SecureRandom RANDOM = new SecureRandom();

    private final String realm;
    private final String nonce;
    private final String opaque;
    private final AtomicInteger nonceCount = new AtomicInteger();

    private DigestChallenge(String realm, String nonce, String opaque) {
        this.realm = realm;
        this.nonce = nonce;
        this.opaque = opaque;
    }

    /** A challenge as if parsed from a 401; {@code opaque} may be null. */
    static DigestChallenge of(String realm, String nonce, String opaque) {
        return new DigestChallenge(realm, nonce, opaque);
    }

    /** Picks the plain-MD5, qop=auth challenge among the WWW-Authenticate headers of a 401. */
    static Optional<DigestChallenge> parse(List<String> headers) {
        for (String header : headers) {
            if (!header.regionMatches(true, 0, "Digest ", 0, 7)) {
                continue;
            }
            Map<String, String> params = HttpDigest.params(header.substring(7));
            String algorithm = params.getOrDefault("algorithm", "MD5");
            if (algorithm.equalsIgnoreCase("MD5") && params.containsKey("nonce")) {
                return Optional.of(new DigestChallenge(params.getOrDefault("realm", ""), params.get("nonce"),
                        params.get("opaque")));
            }
        }
        return Optional.empty();
    }

    String authorization(String method, String path, String username, String password) {
        byte[] cnonceBytes = new byte[12];
        RANDOM.nextBytes(cnonceBytes);
        return authorization(method, path, username, password, HexFormat.of().formatHex(cnonceBytes));
    }

    /** With a given client nonce, so the computation can be checked against RFC 2617's example. */
    String authorization(String method, String path, String username, String password, String cnonce) {
        String nc = String.format("%08x", nonceCount.incrementAndGet());
        String response = HttpDigest.response(method, path, username, realm, password, nonce, "auth", nc, cnonce);
        StringBuilder header = new StringBuilder("Digest ")
                .append("username=\"").append(username).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(path)
                .append("\", algorithm=MD5, qop=auth, nc=").append(nc)
                .append(", cnonce=\"").append(cnonce).append("\", response=\"").append(response).append('"');
        if (opaque != null) {
            header.append(", opaque=\"").append(opaque).append('"');
        }
        return header.toString();
    }
}
