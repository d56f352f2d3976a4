package dev.escrowstack.gateway.support;

import java.lang.reflect.Proxy;
import java.util.Map;

import dev.escrowstack.gateway.config.GatewayConfig;

/**
 * A {@link GatewayConfig} for plain unit tests that answers only the settings named; any other call
 * fails, which proves the class under test needs nothing else.
 */
public final class ConfigStub {

    private ConfigStub() {
    }

    public static GatewayConfig answering(Map<String, Object> settings) {
        return answering(GatewayConfig.class, settings);
    }

    /** The same for one of its groups ({@code GatewayConfig.Leases}, ...), to be named in the outer stub. */
    public static <T> T answering(Class<T> group, Map<String, Object> settings) {
        return group.cast(Proxy.newProxyInstance(group.getClassLoader(), new Class<?>[] { group }, (proxy, method, args) -> {
            if (settings.containsKey(method.getName())) {
                return settings.get(method.getName());
            }
            throw new UnsupportedOperationException(method.getName() + " is not stubbed");
        }));
    }
}
