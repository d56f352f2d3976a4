package dev.escrowstack.telemetry;

import java.util.Arrays;

/**
 * Which RPC attribute names a service emits, by {@code OTEL_SEMCONV_STABILITY_OPT_IN} as OpenTelemetry's own
 * instrumentations read it: {@code rpc} means only the current names (semconv 1.40: rpc.system.name,
 * rpc.status_code, error.type, jsonrpc.request.id, jsonrpc.protocol.version); {@code rpc/dup} both. Unset, or
 * without an {@code rpc} entry, we emit both too: the exporter reads either, but Jaeger searches, dashboards and
 * readers outside this repository may still ask for rpc.system and rpc.jsonrpc.error_code, and dropping names
 * silently would break them. Setting {@code rpc} is the step that says they have moved.
 */
public record RpcSemconv(boolean emitOld, boolean emitCurrent) {

    public static final String OPT_IN_VARIABLE = "OTEL_SEMCONV_STABILITY_OPT_IN";
    public static final RpcSemconv DUP = new RpcSemconv(true, true);
    public static final RpcSemconv CURRENT = new RpcSemconv(false, true);

    /** Parses the variable's comma-separated list; null or blank is the default ({@link #DUP}). */
    public static RpcSemconv parse(String optIn) {
        if (optIn == null) {
            return DUP;
        }
        boolean currentOnly = Arrays.stream(optIn.split(",")).map(String::trim).anyMatch("rpc"::equals);
        boolean dup = Arrays.stream(optIn.split(",")).map(String::trim).anyMatch("rpc/dup"::equals);
        return currentOnly && !dup ? CURRENT : DUP;
    }

    public static RpcSemconv fromEnvironment() {
        return parse(System.getenv(OPT_IN_VARIABLE));
    }
}
