package dev.escrowstack.escrow.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import dev.escrowstack.escrow.client.Gateways;

/**
 * Ready while at least one wallet-gateway pod is: new escrows go to the pods that answer, so a load
 * balancer should send inits elsewhere only when none does. Each pod's status is in the data, because the
 * escrows on a pod that is down cannot be funded or paid out until it is back. (The database's readiness
 * check comes with the datasource.)
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Gateways gateways;

    public GatewayReadiness(Gateways gateways) {
        this.gateways = gateways;
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("wallet-gateway");
        boolean anyUp = false;
        for (var pod : gateways.urls().entrySet()) {
            String status = status(URI.create(pod.getValue().toString().replaceAll("/+$", "") + "/q/health/ready"));
            response.withData(pod.getKey(), status);
            anyUp |= status.equals("UP");
        }
        return response.status(anyUp).build();
    }

    private String status(URI ready) {
        try {
            int code = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return code == 200 ? "UP" : "DOWN (HTTP " + code + ")";
        } catch (Exception e) {
            return "DOWN (" + e.getMessage() + ")";
        }
    }
}
