package dev.escrowstack.gateway.support;

import java.lang.reflect.Constructor;
import java.nio.file.Path;

import dev.escrowstack.gateway.process.WalletProcess;

/** Wallet processes for plain unit tests. */
public final class Processes {

    private Processes() {
    }

    /**
     * A process that was never started. WalletProcess's constructor is package-private in another package
     * and must stay so; reflection gives the test one without widening it. Only index() means anything.
     */
    public static WalletProcess notStarted(int index, Path home) {
        try {
            Constructor<WalletProcess> constructor = WalletProcess.class.getDeclaredConstructor(int.class, Path.class);
            constructor.setAccessible(true);
            return constructor.newInstance(index, home);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
