package dev.escrowstack.gateway.process;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;

import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Starts the pool in the background, so the HTTP server (and its health endpoints, which report the
 * pool's progress) is up at once; stops it, with wallets stored and closed, on shutdown.
 */
@ApplicationScoped
public class PoolLifecycle {

    private final ProcessPool pool;
    private final Event<PoolStarted> started;

    public PoolLifecycle(ProcessPool pool, Event<PoolStarted> started) {
        this.pool = pool;
        this.started = started;
    }

    void onStart(@Observes StartupEvent event) {
        Thread starter = new Thread(() -> {
            try {
                pool.start();
                started.fire(new PoolStarted());
            } catch (Exception e) {
                Log.error("wallet-rpc pool failed to start", e);
            }
        }, "wallet-rpc-pool-start");
        starter.setDaemon(true);
        starter.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        Log.info("stopping wallet-rpc pool: storing and closing wallets");
        pool.stop();
    }
}
