package dev.escrowstack.gateway.process;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import dev.escrowstack.gateway.config.GatewayConfig;

/**
 * Hands out wallet-rpc ports from the configured range, skipping ports held by other programs.
 * A port can still be taken between the probe and the process binding it; the launcher notices the
 * process failing to bind and asks for the next one.
 */
@ApplicationScoped
public class PortAllocator {

    private final int first;
    private final int last;
    private final Set<Integer> ours = new HashSet<>();

    public PortAllocator(GatewayConfig config) {
        this.first = config.pool().basePort();
        this.last = first + config.pool().portRange() - 1;
    }

    /** Reserves {@code preferred} if it is still free (a restart keeps its port), else the lowest free port. */
    public synchronized int reserve(int preferred) {
        if (preferred > 0 && !ours.contains(preferred) && bindable(preferred)) {
            ours.add(preferred);
            return preferred;
        }
        for (int port = first; port <= last; port++) {
            if (!ours.contains(port) && bindable(port)) {
                ours.add(port);
                return port;
            }
        }
        throw new IllegalStateException("no free port for monero-wallet-rpc between " + first + " and " + last);
    }

    public synchronized void release(int port) {
        ours.remove(port);
    }

    /** Marks a port as unusable for this run (another program bound it first). */
    public synchronized void skip(int port) {
        ours.add(port);
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true); // only a listener makes a port unusable, not TIME_WAIT
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
