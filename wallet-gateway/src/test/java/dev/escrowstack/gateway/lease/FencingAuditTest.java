package dev.escrowstack.gateway.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

class FencingAuditTest {

    private static String grant(long token, int process, String wallet) {
        return "2026-11-27T00:00:00Z GRANT " + token + " l-" + token + " process=" + process + " wallet=" + wallet + " role=buyer holder=esc-1";
    }

    @Test
    void aProcessOrWalletGrantedWhileHeldIsReported() {
        var audit = FencingAudit.of(List.of("t START 0", grant(1, 0, "w-a"), grant(2, 0, "w-b"), grant(3, 1, "w-a")));
        assertEquals(3, audit.grants());
        assertEquals(List.of("process=0 granted to token 2 while token 1 held it", "wallet=w-a granted to token 3 while token 1 held it"),
                audit.violations());
    }

    @Test
    void anEndOrARestartFreesWhatALeaseHeld() {
        var audit = FencingAudit.of(List.of("t START 0", grant(1, 0, "w-a"), "t END 1 l-1 RELEASED", grant(2, 0, "w-a"),
                "t START 1000", grant(1001, 0, "w-a"), "t GRA"));
        assertEquals(List.of(), audit.violations());
        assertEquals(3, audit.grants());
        assertEquals(1, audit.ends());
        assertEquals(2, audit.runs());
    }
}
