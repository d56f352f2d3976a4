package dev.escrowstack.gateway.rpc;

import static dev.escrowstack.telemetry.EscrowAttributes.*;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.JsonNode;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.telemetry.RpcSemconv;
import dev.escrowstack.telemetry.SpanNames;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;

/**
 * Every wallet RPC call the gateway makes goes through here: one CLIENT span (OpenTelemetry RPC
 * conventions plus the escrow attributes) and one latency sample per call. Parameters and results
 * are never recorded; callers may add hashes of key material through {@code resultAttributes}.
 * Which RPC attribute names the span carries, the deprecated ones, the current ones or both, is
 * {@link RpcSemconv}'s choice ({@code OTEL_SEMCONV_STABILITY_OPT_IN}).
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
    private final RpcSemconv semconv;

    @Inject
    public TracedWalletRpc(WalletRpcClient client, Tracer tracer, MeterRegistry registry, GatewayConfig config) {
        this(client, tracer, registry, config, RpcSemconv.fromEnvironment());
    }

    public TracedWalletRpc(WalletRpcClient client, Tracer tracer, MeterRegistry registry, GatewayConfig config, RpcSemconv semconv) {
        this.client = client;
        this.tracer = tracer;
        this.registry = registry;
        this.callTimeout = config.rpc().callTimeout();
        this.semconv = semconv;
    }

    public JsonNode call(RpcEndpoint endpoint, RpcCallContext context, String method, Map<String, ?> params) {
        return call(endpoint, context, method, params, Attributes.empty(), null, callTimeout);
    }

    public JsonNode call(RpcEndpoint endpoint, RpcCallContext context, String method, Map<String, ?> params,
            Attributes inputAttributes, Function<JsonNode, Attributes> resultAttributes, Duration timeout) {
        String id = client.nextId();
        Span span = start(endpoint, context, method, id);
        span.setAllAttributes(inputAttributes);
        long started = System.nanoTime();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            JsonNode result = client.call(endpoint, id, method, params, timeout);
            if (resultAttributes != null) {
                span.setAllAttributes(resultAttributes.apply(result));
            }
            outcome = "success";
            return result;
        } catch (WalletRpcError e) {
            walletError(span, e.code(), e.walletMessage());
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
        JsonNode requestId = request.get("id");
        Span span = start(endpoint, context, method, requestId == null || requestId.isNull() ? null : requestId.asText());
        long started = System.nanoTime();
        String outcome = "error";
        try (Scope ignored = span.makeCurrent()) {
            JsonNode reply = client.forward(endpoint, method, request, callTimeout);
            JsonNode error = reply.get("error");
            if (error != null && !error.isNull()) {
                walletError(span, error.path("code").asLong(), error.path("message").asText());
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

    /** The wallet's error object: its code under the old and/or current names, its message as the span's status. */
    private void walletError(Span span, long code, String message) {
        if (semconv.emitOld()) {
            span.setAttribute(RPC_JSONRPC_ERROR_CODE, code);
            span.setAttribute(RPC_JSONRPC_ERROR_MESSAGE, message);
        }
        if (semconv.emitCurrent()) {
            span.setAttribute(RPC_STATUS_CODE, Long.toString(code));
        }
        span.setAttribute(ERROR_TYPE, Long.toString(code));
        span.setStatus(StatusCode.ERROR, message);
    }

    private Span start(RpcEndpoint endpoint, RpcCallContext context, String method, String requestId) {
        SpanBuilder builder = tracer.spanBuilder(SpanNames.walletRpc(method))
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute(RPC_METHOD, method)
                .setAttribute(SERVER_ADDRESS, "127.0.0.1")
                .setAttribute(SERVER_PORT, (long) endpoint.port())
                .setAttribute(WALLET_PROCESS, (long) context.processIndex());
        if (semconv.emitOld()) {
            builder.setAttribute(RPC_SYSTEM, RPC_SYSTEM_JSONRPC).setAttribute(RPC_JSONRPC_VERSION, "2.0");
            if (requestId != null) {
                builder.setAttribute(RPC_JSONRPC_REQUEST_ID, requestId);
            }
        }
        if (semconv.emitCurrent()) {
            builder.setAttribute(RPC_SYSTEM_NAME, RPC_SYSTEM_JSONRPC).setAttribute(JSONRPC_PROTOCOL_VERSION, "2.0");
            if (requestId != null) {
                builder.setAttribute(JSONRPC_REQUEST_ID, requestId);
            }
        }
        Span span = builder.startSpan();
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
