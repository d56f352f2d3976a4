package dev.escrowstack.gateway.rpc;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class DigestChallengeTest {

    /** The two WWW-Authenticate values monero-wallet-rpc sends with a 401, in the order it sends them. */
    static final String MD5 = "Digest qop=\"auth\",algorithm=MD5,realm=\"monero-rpc\",nonce=\"bHJ/lUPdnkFBODP+SBuAsg==\",stale=false";
    static final String MD5_SESS = "Digest qop=\"auth\",algorithm=MD5-sess,realm=\"monero-rpc\",nonce=\"bHJ/lUPdnkFBODP+SBuAsg==\",stale=false";

    @Test
    void parsesMoneroWalletRpcChallenge() {
        DigestChallenge challenge = DigestChallenge.parse(List.of(MD5, MD5_SESS)).orElseThrow();

        Map<String, String> auth = params(challenge.authorization("POST", "/json_rpc", "user", "pw"));
        assertEquals("monero-rpc", auth.get("realm"));
        // The nonce holds '/', '+' and '=': it must come through the quoted-string parsing intact.
        assertEquals("bHJ/lUPdnkFBODP+SBuAsg==", auth.get("nonce"));
        assertEquals("MD5", auth.get("algorithm"));
        assertEquals("auth", auth.get("qop"));
        assertFalse(auth.containsKey("opaque"), "monero sends no opaque, so none may be echoed");
    }

    @Test
    void picksMd5EvenWhenMd5SessComesFirst() {
        assertTrue(DigestChallenge.parse(List.of(MD5_SESS, MD5)).isPresent());
    }

    @Test
    void neverAnswersMd5SessChallenge() {
        // We only implement plain MD5; answering MD5-sess with an MD5 response would just fail auth.
        assertTrue(DigestChallenge.parse(List.of(MD5_SESS)).isEmpty());
    }

    @Test
    void noDigestChallengeIsEmpty() {
        assertTrue(DigestChallenge.parse(List.of("Basic realm=\"monero-rpc\"")).isEmpty());
        assertTrue(DigestChallenge.parse(List.of()).isEmpty());
    }

    @Test
    void matchesRfc2617Example() {
        // RFC 2617 section 3.5.
        DigestChallenge challenge = DigestChallenge.of("testrealm@host.com", "dcd98b7102dd2f0e8b11d0f600bfb0c093",
                "5ccc069c403ebaf9f0171e9517f40e41");

        Map<String, String> auth = params(
                challenge.authorization("GET", "/dir/index.html", "Mufasa", "Circle Of Life", "0a4f113b"));

        assertEquals("6629fae49393a05397450978507c4ef1", auth.get("response"));
        assertEquals("Mufasa", auth.get("username"));
        assertEquals("/dir/index.html", auth.get("uri"));
        assertEquals("00000001", auth.get("nc"));
        assertEquals("0a4f113b", auth.get("cnonce"));
        assertEquals("5ccc069c403ebaf9f0171e9517f40e41", auth.get("opaque"));
    }

    @Test
    void nonceCountIncreasesWithEachUse() {
        // A reused challenge must never repeat nc, or the server takes it for a replay.
        DigestChallenge challenge = DigestChallenge.parse(List.of(MD5)).orElseThrow();

        Map<String, String> first = params(challenge.authorization("POST", "/json_rpc", "user", "pw"));
        Map<String, String> second = params(challenge.authorization("POST", "/json_rpc", "user", "pw"));

        assertEquals("00000001", first.get("nc"));
        assertEquals("00000002", second.get("nc"));
        assertNotEquals(first.get("cnonce"), second.get("cnonce"), "the client nonce is random per request");
    }

    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]*))");

    /** The name=value pairs of an {@code Authorization: Digest ...} value. */
    static Map<String, String> params(String header) {
        assertTrue(header.startsWith("Digest "), header);
        Map<String, String> params = new HashMap<>();
        Matcher m = PARAM.matcher(header.substring(7));
        while (m.find()) {
            params.put(m.group(1), m.group(2) != null ? m.group(2) : m.group(3));
        }
        return params;
    }
}
