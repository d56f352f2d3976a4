package dev.escrowstack.gateway.fault;

import java.util.List;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.operations.CallRoute;
import dev.escrowstack.gateway.operations.OwnProcess;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.runtime.configuration.ConfigUtils;

/**
 * GATEWAY_FAULT, decided once at start-up: where leased calls go ({@link OwnProcess} unless a fault
 * says otherwise), and the refusal of any fault outside the dev and test profiles.
 */
@ApplicationScoped
public class FaultSwitch {

    private final GatewayConfig config;

    public FaultSwitch(GatewayConfig config) {
        this.config = config;
    }

    @Produces
    @Singleton
    CallRoute callRoute(OwnProcess own, SharedInstanceRoute shared) {
        return config.fault().filter(f -> f == GatewayConfig.Fault.SHARED_INSTANCE).isPresent() ? shared : own;
    }

    /** First of the start observers, so nothing (no wallet-rpc process) is started before the refusal. */
    void refuseInProd(@Observes @Priority(1) StartupEvent event) {
        List<String> profiles = ConfigUtils.getProfiles();
        if (config.fault().isPresent() && !profiles.contains("dev") && !profiles.contains("test")) {
            throw new IllegalStateException("GATEWAY_FAULT=shared-instance is refused in profile " + profiles
                    + ": fault injection exists only in the dev and test profiles (QUARKUS_PROFILE=dev)");
        }
    }
}
