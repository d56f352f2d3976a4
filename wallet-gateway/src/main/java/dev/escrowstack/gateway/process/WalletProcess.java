package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;

import dev.escrowstack.gateway.rpc.RpcEndpoint;

/**
 * One supervised monero-wallet-rpc process. A process serves one caller at a time: every call holds
 * {@link #callLock()}, which also lets stop and expiry wait for an in-flight call instead of
 * pulling the wallet from under it.
 */
public final class WalletProcess {

    private final int index;
    private final Path home;
    private final ReentrantLock callLock = new ReentrantLock(true);
    private final AtomicInteger restarts = new AtomicInteger();

    private volatile Process process;
    private volatile RpcEndpoint endpoint;
    private volatile ProcessHealth health = ProcessHealth.STARTING;
    private volatile OpenWallet openWallet;
    private volatile long generation;
    private volatile long callStartedNanos;
    private volatile String callMethod;
    private volatile String lastFailure;
    private volatile boolean stopping;
    private int consecutiveProbeFailures;

    WalletProcess(int index, Path home) {
        this.index = index;
        this.home = home;
    }

    public int index() {
        return index;
    }

    public Path walletDir() {
        return home.resolve("wallets");
    }

    Path home() {
        return home;
    }

    Path logFile() {
        return home.resolve("wallet-rpc.log");
    }

    /** Where the process's own log ends now: {@link #logSince(long)} then reads what it wrote after. */
    public long logMark() {
        return logFile().toFile().length();
    }

    /**
     * What the process logged since {@code mark} (at most the last 64 KiB of it): monero-wallet-rpc names the
     * cause of some failures only there, e.g. {@code THROW EXCEPTION: error::invalid_password} behind an
     * open_wallet that answers just "Failed to open wallet".
     */
    public String logSince(long mark) {
        try (RandomAccessFile log = new RandomAccessFile(logFile().toFile(), "r")) {
            long from = Math.max(mark, log.length() - 64 * 1024);
            byte[] tail = new byte[(int) Math.max(0, log.length() - from)];
            log.seek(from);
            log.readFully(tail);
            return new String(tail, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    Path configFile() {
        return home.resolve("wallet-rpc.conf");
    }

    public RpcEndpoint endpoint() {
        return endpoint;
    }

    public int port() {
        RpcEndpoint e = endpoint;
        return e == null ? -1 : e.port();
    }

    public long pid() {
        Process p = process;
        return p == null ? -1 : p.pid();
    }

    public boolean alive() {
        Process p = process;
        return p != null && p.isAlive();
    }

    Process process() {
        return process;
    }

    void started(Process process, RpcEndpoint endpoint) {
        this.process = process;
        this.endpoint = endpoint;
        this.generation++;
    }

    /** Increments on every (re)start; a call that sees it change knows its process died under it. */
    public long generation() {
        return generation;
    }

    public ProcessHealth health() {
        return health;
    }

    void health(ProcessHealth health) {
        this.health = health;
    }

    public boolean healthy() {
        return health == ProcessHealth.HEALTHY && alive();
    }

    public Optional<OpenWallet> openWallet() {
        return Optional.ofNullable(openWallet);
    }

    public void openWallet(OpenWallet wallet) {
        this.openWallet = wallet;
    }

    public ReentrantLock callLock() {
        return callLock;
    }

    /** Takes the call lock, giving up after {@code timeoutMillis}; marks the call for hung detection. */
    public boolean beginCall(String method, long timeoutMillis) throws InterruptedException {
        if (!callLock.tryLock(timeoutMillis, TimeUnit.MILLISECONDS)) {
            return false;
        }
        callMethod = method;
        callStartedNanos = System.nanoTime();
        return true;
    }

    public void endCall() {
        callStartedNanos = 0;
        callMethod = null;
        callLock.unlock();
    }

    /** Nanoseconds the current call has been running, or 0 when idle. */
    long currentCallNanos() {
        long started = callStartedNanos;
        return started == 0 ? 0 : System.nanoTime() - started;
    }

    String currentCallMethod() {
        return callMethod;
    }

    public int restarts() {
        return restarts.get();
    }

    int restarted() {
        return restarts.incrementAndGet();
    }

    public String lastFailure() {
        return lastFailure;
    }

    void lastFailure(String failure) {
        this.lastFailure = failure;
    }

    boolean stopping() {
        return stopping;
    }

    void stopping(boolean stopping) {
        this.stopping = stopping;
    }

    int probeFailed() {
        return ++consecutiveProbeFailures;
    }

    void probeSucceeded() {
        consecutiveProbeFailures = 0;
    }

    @Override
    public String toString() {
        return "wallet-rpc#" + index + "(port " + port() + ", pid " + pid() + ")";
    }
}
