package dev.escrowstack.escrow.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only while wallet-gateway is: without it no escrow can be opened, so a load balancer should
 * send inits elsewhere. (The database's readiness check comes with the datasource.)
 */
@Readiness
@ApplicationScoped
public class GatewayReadiness implements HealthCheck {

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI ready;

    public GatewayReadiness(@ConfigProperty(name = "quarkus.rest-client.wallet-gateway.url") String gatewayUrl) {
        this.ready = URI.create(gatewayUrl.replaceAll("/+$", "") + "/q/health/ready");
    }

    @Override
    public HealthCheckResponse call() {
        var response = HealthCheckResponse.named("wallet-gateway").withData("url", ready.toString());
        try {
            int status = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
            return response.status(status == 200).withData("status", status).build();
        } catch (Exception e) {
            return response.down().withData("error", String.valueOf(e.getMessage())).build();
        }
    }
}
