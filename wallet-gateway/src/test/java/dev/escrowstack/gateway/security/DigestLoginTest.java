package dev.escrowstack.gateway.security;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Map;

import org.junit.jupiter.api.Test;

class DigestLoginTest {

    @Test
    void theResponseIsRfc2617s() {
        // RFC 2617, section 3.5: the worked example.
        Map<String, String> p = DigestLogin.params("username=\"Mufasa\", realm=\"testrealm@host.com\","
                + " nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001,"
                + " cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"");
        assertEquals("6629fae49393a05397450978507c4ef1", DigestLogin.expected(p, "GET", "Circle Of Life"));
        assertNotEquals(p.get("response"), DigestLogin.expected(p, "GET", "Circle Of Life!"));
    }

    @Test
    void nonceAreOursAndLoginsBelongToOneLeaseAndToken() {
        LeaseLogins logins = new LeaseLogins();
        String nonce = logins.nonce();
        assertTrue(logins.fresh(nonce));
        assertFalse(logins.fresh(nonce.substring(0, nonce.indexOf('.')) + ".forged"));
        assertFalse(logins.fresh("0." + nonce.substring(nonce.indexOf('.') + 1)), "another time, same mac");
        assertFalse(new LeaseLogins().fresh(nonce), "another gateway run's nonce");
        assertFalse(logins.fresh(null));
        assertNotEquals(logins.password("l-1", 7), logins.password("l-1", 8), "bound to the fencing token");
        assertNotEquals(logins.password("l-1", 7), logins.password("l-2", 7));
        assertNotEquals(logins.password("l-1", 7), new LeaseLogins().password("l-1", 7), "a restarted gateway knows no old login");
    }
}
