package dev.escrowstack.telemetry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RpcSemconvTest {

    @Test
    void bothByDefaultOnlyCurrentWithRpc() {
        assertEquals(RpcSemconv.DUP, RpcSemconv.parse(null));
        assertEquals(RpcSemconv.DUP, RpcSemconv.parse(""));
        assertEquals(RpcSemconv.DUP, RpcSemconv.parse("http"));
        assertEquals(RpcSemconv.DUP, RpcSemconv.parse("http, rpc/dup"));
        assertEquals(RpcSemconv.CURRENT, RpcSemconv.parse("rpc"));
        assertEquals(RpcSemconv.CURRENT, RpcSemconv.parse("http,rpc"));
        // rpc/dup wins over rpc, as in OpenTelemetry's instrumentations.
        assertEquals(RpcSemconv.DUP, RpcSemconv.parse("rpc,rpc/dup"));
    }
}
