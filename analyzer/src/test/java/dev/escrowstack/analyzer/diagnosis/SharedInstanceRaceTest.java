package dev.escrowstack.analyzer.diagnosis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.escrowstack.analyzer.RecordedEscrowsTest;
import dev.escrowstack.analyzer.model.EscrowFile;

class SharedInstanceRaceTest {

    /** The recorded shared-instance run: three escrows of about 30 calls each, 24 of them on the one shared port. */
    @Test
    void overlapsAreCountedPerEscrowNotPerPair() throws IOException {
        List<EscrowFile> files = RecordedEscrowsTest.recorded("pattern-b");
        Map<String, List<RpcCall>> calls = new LinkedHashMap<>();
        files.forEach(f -> calls.put(f.escrowId(), Calls.of(f)));
        Map<String, SharedInstanceRace.Race> races = SharedInstanceRace.find(files, calls);
        Set<Integer> shared = new HashSet<>(calls.values().iterator().next().stream().map(RpcCall::port).toList());
        calls.values().forEach(c -> shared.retainAll(c.stream().map(RpcCall::port).toList()));
        assertEquals(1, shared.size(), "one port all three escrows used: " + shared);
        for (EscrowFile f : files) {
            SharedInstanceRace.Race race = races.get(f.escrowId());
            assertNotNull(race, f.source());
            List<RpcCall> mine = calls.get(f.escrowId());
            long onSharedPort = mine.stream().filter(c -> shared.contains(c.port())).count();
            assertTrue(race.overlaps > 0, f.source());
            assertTrue(race.overlaps <= onSharedPort, race.overlaps + " overlapping calls, but only " + onSharedPort + " of the "
                    + mine.size() + " calls of " + f.escrowId() + " ran on port " + shared);
        }
    }
}
