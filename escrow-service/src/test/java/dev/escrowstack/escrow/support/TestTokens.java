package dev.escrowstack.escrow.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A stand-in for the marketplace's identity provider: an RSA key made for this test JVM (never a fixture), its
 * public half where the %test profile's mp.jwt.verify.publickey.location points, and RS256 JWTs signed with it
 * the way any identity provider signs them. As a test resource it writes the key before Quarkus starts.
 */
public class TestTokens implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://idp.test.example";
    static final Path PUBLIC_KEY = Path.of("target/test-jwt/public.pem");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final KeyPair KEY = generate();
    /** Another identity provider's key: its tokens must not verify. */
    private static final KeyPair FOREIGN = generate();

    @Override
    public Map<String, String> start() {
        publicKey();
        return Map.of();
    }

    /** The public key's file (this JVM's key), for an escrow-service started as a process too. */
    public static synchronized Path publicKey() {
        try {
            Files.createDirectories(PUBLIC_KEY.getParent());
            Files.writeString(PUBLIC_KEY, "-----BEGIN PUBLIC KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(KEY.getPublic().getEncoded())
                    + "\n-----END PUBLIC KEY-----\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return PUBLIC_KEY.toAbsolutePath();
    }

    @Override
    public void stop() {
    }

    /** A token of {@code subject} with {@code roles}, valid for ten minutes. */
    public static String token(String subject, String... roles) {
        return sign(KEY.getPrivate(), ISSUER, subject, Instant.now().plusSeconds(600), roles);
    }

    public static String expired(String subject, String... roles) {
        return sign(KEY.getPrivate(), ISSUER, subject, Instant.now().minusSeconds(600), roles);
    }

    public static String fromAnotherIssuer(String subject, String... roles) {
        return sign(KEY.getPrivate(), "https://idp.elsewhere.example", subject, Instant.now().plusSeconds(600), roles);
    }

    public static String signedByAnotherKey(String subject, String... roles) {
        return sign(FOREIGN.getPrivate(), ISSUER, subject, Instant.now().plusSeconds(600), roles);
    }

    private static String sign(PrivateKey key, String issuer, String subject, Instant expires, String... roles) {
        try {
            long now = Instant.now().getEpochSecond();
            String header = encode(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT")));
            String claims = encode(JSON.writeValueAsBytes(Map.of("iss", issuer, "sub", subject, "groups", List.of(roles),
                    "iat", Math.min(now, expires.getEpochSecond() - 60), "exp", expires.getEpochSecond(), "jti", UUID.randomUUID().toString())));
            Signature rs256 = Signature.getInstance("SHA256withRSA");
            rs256.initSign(key);
            rs256.update((header + "." + claims).getBytes(StandardCharsets.US_ASCII));
            return header + "." + claims + "." + encode(rs256.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return rsa.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
