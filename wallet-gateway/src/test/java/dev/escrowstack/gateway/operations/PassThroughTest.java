package dev.escrowstack.gateway.operations;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class PassThroughTest {

    @Test
    void allowedAndDeniedAreDisjoint() {
        Set<String> both = new HashSet<>(PassThrough.ALLOWED);
        both.retainAll(PassThrough.DENIED.keySet());
        assertEquals(Set.of(), both, "a method cannot be both allowed and denied");
    }

    @Test
    void methodsThatBreakALeaseAreNotAllowed() {
        // Each would switch, close, re-key or re-point the leased wallet, or export its keys.
        for (String method : List.of("open_wallet", "close_wallet", "create_wallet", "restore_deterministic_wallet",
                "generate_from_keys", "stop_wallet", "change_wallet_password", "query_key", "set_daemon")) {
            assertFalse(PassThrough.ALLOWED.contains(method), method + " must not pass through");
            assertTrue(PassThrough.DENIED.containsKey(method), method + " should be refused with a reason");
        }
    }
}
