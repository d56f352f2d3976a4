package dev.escrowstack.escrow.support;

import java.util.List;
import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/**
 * escrow-service against the scripted {@link FakeGateway}, with short waits and a database in memory: for
 * the test classes that need no wallet (client errors, the escrow state machine) or script a gateway's
 * failures. One profile for all of them, so Quarkus starts the application once for the lot.
 */
public class ScriptedGateway implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("escrow.setup.lease-wait", "3s", "escrow.setup.round-timeout", "5s",
                "quarkus.datasource.jdbc.url", "jdbc:h2:mem:scripted;DB_CLOSE_DELAY=-1");
    }

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeGateway.class));
    }
}
