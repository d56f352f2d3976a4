package dev.escrowstack.gateway.rpc;

import java.net.URI;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Where one monero-wallet-rpc process listens and the login it was started with. The login is
 * random per process start and lives only in memory and in the process's 0600 config file.
 */
public final class RpcEndpoint {

    private final int port;
    private final String username;
    private final String password;
    private final URI uri;
    private volatile DigestChallenge challenge;
    /**
     * One HTTP exchange at a time: monero-wallet-rpc ties a digest session to its connection and counts
     * its nonce uses, so concurrent requests would break each other's authentication. The process's
     * call lock normally serialises calls anyway; this matters when something calls without it.
     */
    private final ReentrantLock exchange = new ReentrantLock(true);

    public RpcEndpoint(int port, String username, String password) {
        this.port = port;
        this.username = username;
        this.password = password;
        this.uri = URI.create("http://127.0.0.1:" + port + "/json_rpc");
    }

    public int port() {
        return port;
    }

    URI uri() {
        return uri;
    }

    ReentrantLock exchangeLock() {
        return exchange;
    }

    /** {@code user:password} for the process's 0600 config file; nowhere else. */
    public String login() {
        return username + ":" + password;
    }

    String username() {
        return username;
    }

    String password() {
        return password;
    }

    DigestChallenge challenge() {
        return challenge;
    }

    void challenge(DigestChallenge challenge) {
        this.challenge = challenge;
    }

    @Override
    public String toString() {
        return "127.0.0.1:" + port; // never the login
    }
}
