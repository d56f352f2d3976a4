package dev.escrowstack.gateway.rpc;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.databind.JsonNode;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.telemetry.SpanNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * Every wallet RPC call the gateway makes goes through here: one CLIENT span (OpenTelemetry RPC
 * conventions plus the escrow attributes) and one latency sample per call. Parameters and results
 * are never recorded; callers may add hashes of key material through {@code resultAttributes}.
 */
@ApplicationScoped
public class TracedWalletRpc {

    /** Baggage key an escrow-service sets so the gateway's spans carry the protocol round. */
    public static final String ROUND_BAGGAGE = ESCROW_ROUND;

    private final WalletRpcClient client;
    private final Tracer tracer;
    private final MeterRegistry registry;
    private final Duration callTimeout;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public TracedWalletRpc(WalletRpcClient client, Tracer tracer, MeterRegistry registry, GatewayConfig config) {
        this.client = client;
        this.tracer = tracer;
        this.registry = registry;
        this.callTimeout = config.rpc().callTimeout();
    }

    public JsonNode call(RpcEndpoint endpoint, RpcCallContext context, String method, Map<String, ?> params) {
        return call(endpoint, context, method, params, Attributes.empty(), null, callTimeout);
    }

    public JsonNode call(RpcEndpoint endpoint, RpcCallContext context, String method, Map<String, ?> params,
            Attributes inputAttributes, Function<JsonNode, Attributes> resultAttributes, Duration timeout) {
        Span span = start(endpoint, context, method);
        span.setAllAttributes(inputAttributes);
        long started = System.nanoTime();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            JsonNode result = client.call(endpoint, method, params, timeout);
            if (resultAttributes != null) {
                span.setAllAttributes(resultAttributes.apply(result));
            }
            outcome = "success";
            return result;
        } catch (WalletRpcError e) {
            span.setAttribute(RPC_JSONRPC_ERROR_CODE, (long) e.code());
            span.setAttribute(RPC_JSONRPC_ERROR_MESSAGE, e.walletMessage());
            span.setAttribute(ERROR_TYPE, Integer.toString(e.code()));
            span.setStatus(StatusCode.ERROR, e.walletMessage());
            outcome = "wallet_error";
            throw e;
        } catch (WalletRpcUnavailable e) {
            span.setAttribute(ERROR_TYPE, e.timedOut() ? "timeout" : "unavailable");
            span.setStatus(StatusCode.ERROR, e.getMessage());
            outcome = e.timedOut() ? "timeout" : "unavailable";
            throw e;
        } finally {
            record(method, outcome, System.nanoTime() - started);
            span.end();
        }
    }

    /** The pass-through: the wallet's reply comes back unchanged, error object included. */
    public JsonNode forward(RpcEndpoint endpoint, RpcCallContext context, String method, JsonNode request) {
        Span span = start(endpoint, context, method);
        long started = System.nanoTime();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            JsonNode reply = client.forward(endpoint, method, request, callTimeout);
            JsonNode error = reply.get("error");
            if (error != null && !error.isNull()) {
                span.setAttribute(RPC_JSONRPC_ERROR_CODE, error.path("code").asLong());
                span.setAttribute(RPC_JSONRPC_ERROR_MESSAGE, error.path("message").asText());
                span.setStatus(StatusCode.ERROR, error.path("message").asText());
                outcome = "wallet_error";
            } else {
                outcome = "success";
            }
            return reply;
        } catch (WalletRpcUnavailable e) {
            span.setAttribute(ERROR_TYPE, e.timedOut() ? "timeout" : "unavailable");
            span.setStatus(StatusCode.ERROR, e.getMessage());
            outcome = e.timedOut() ? "timeout" : "unavailable";
            throw e;
        } finally {
            record(method, outcome, System.nanoTime() - started);
            span.end();
        }
    }

    private Span start(RpcEndpoint endpoint, RpcCallContext context, String method) {
        Span span = tracer.spanBuilder(SpanNames.walletRpc(method))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(RPC_SYSTEM, RPC_SYSTEM_JSONRPC)
                .setAttribute(RPC_METHOD, method)
                .setAttribute(RPC_JSONRPC_VERSION, "2.0")
                .setAttribute(SERVER_ADDRESS, "127.0.0.1")
                .setAttribute(SERVER_PORT, (long) endpoint.port())
                .setAttribute(WALLET_PROCESS, (long) context.processIndex())
                .startSpan();
        setIfPresent(span, ESCROW_ID, context.escrowId());
        setIfPresent(span, ESCROW_ROLE, context.role());
        setIfPresent(span, LEASE_ID, context.leaseId());
        setIfPresent(span, WALLET_ID, context.walletId());
        String round = Baggage.current().getEntryValue(ROUND_BAGGAGE);
        if (round != null && round.matches("\\d{1,3}")) {
            span.setAttribute(ESCROW_ROUND, Long.parseLong(round));
        }
        return span;
    }

    private static void setIfPresent(Span span, String key, String value) {
        if (value != null) {
            span.setAttribute(key, value);
        }
    }

    private void record(String method, String outcome, long nanos) {
        timers.computeIfAbsent(method + '|' + outcome, k -> Timer.builder("wallet_rpc_call")
                .description("Latency of wallet RPC calls made by the gateway")
                .tag("method", method)
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry))
                .record(Duration.ofNanos(nanos));
    }
}
