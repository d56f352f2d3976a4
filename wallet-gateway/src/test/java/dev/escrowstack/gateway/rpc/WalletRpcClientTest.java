package dev.escrowstack.gateway.rpc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.escrowstack.gateway.config.GatewayConfig;
import dev.escrowstack.gateway.support.ConfigStub;
import dev.escrowstack.telemetry.EscrowAttributes;
import dev.escrowstack.telemetry.RpcSemconv;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;

/**
 * Against a fake wallet-rpc that, like the real one, demands digest auth on every request: it sends
 * monero's two challenges and checks the digest response (RFC 2617, MD5, qop=auth) with the password
 * it knows, answering 401 again when it is wrong.
 */
class WalletRpcClientTest {

    static final String USER = "gateway";
    static final String PASSWORD = "s3cret-login";
    static final String REALM = "monero-rpc";
    static final String NONCE = "bHJ/lUPdnkFBODP+SBuAsg==";
    static final Duration TIMEOUT = Duration.ofSeconds(5);

    /** What the fake does with a request that passed authentication. */
    interface Reply {
        void send(HttpExchange exchange, JsonNode request) throws IOException;
    }

    final ObjectMapper json = new ObjectMapper();
    final WalletRpcClient client = new WalletRpcClient();
    final AtomicInteger challenges = new AtomicInteger();
    final List<Map<String, String>> accepted = new CopyOnWriteArrayList<>();
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    volatile Reply reply;
    ExecutorService threads;
    HttpServer server;

    @BeforeEach
    void startFakeWalletRpc() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.createContext("/json_rpc", this::handle);
        server.start();
    }

    @AfterEach
    void stopFakeWalletRpc() {
        release.countDown(); // frees a handler still sleeping in the timeout test
        server.stop(0);
        threads.shutdownNow();
    }

    @Test
    void answersDigestChallengeAndReturnsResult() {
        reply = result("{\"version\":65562}");

        JsonNode result = client.call(endpoint(PASSWORD), "get_version", null, TIMEOUT);

        assertEquals(65562, result.path("version").asInt());
        assertEquals(1, challenges.get());
        assertEquals(1, accepted.size());
        assertEquals(USER, accepted.get(0).get("username"));
        JsonNode sent = requests.get(0);
        assertEquals("2.0", sent.path("jsonrpc").asText());
        assertEquals("get_version", sent.path("method").asText());
        assertTrue(sent.path("params").isObject(), "null params must be sent as {}");
    }

    @Test
    void reusesChallengeOnNextCall() {
        reply = result("{\"height\":1}");
        RpcEndpoint endpoint = endpoint(PASSWORD);

        client.call(endpoint, "get_height", Map.of(), TIMEOUT);
        client.call(endpoint, "get_height", Map.of(), TIMEOUT);

        // One round trip per call after the first: the second call is authenticated up front.
        assertEquals(1, challenges.get());
        assertEquals(2, accepted.size());
        assertEquals("00000001", accepted.get(0).get("nc"));
        assertEquals("00000002", accepted.get(1).get("nc"));
    }

    @Test
    void wrongLoginIsUnavailableAfterOneRetry() {
        reply = result("{}");

        WalletRpcUnavailable e = assertThrows(WalletRpcUnavailable.class,
                () -> client.call(endpoint("not-the-password"), "get_version", null, TIMEOUT));

        assertFalse(e.timedOut());
        assertEquals(2, challenges.get(), "answers a challenge once, it must not loop");
        assertTrue(requests.isEmpty());
    }

    @Test
    void walletErrorObjectBecomesWalletRpcError() {
        reply = (exchange, request) -> sendJson(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                + ",\"error\":{\"code\":-28,\"message\":\"This wallet is already multisig\"}}");

        WalletRpcError e = assertThrows(WalletRpcError.class,
                () -> client.call(endpoint(PASSWORD), "make_multisig", Map.of("threshold", 2), TIMEOUT));

        assertEquals(-28, e.code());
        assertEquals("This wallet is already multisig", e.walletMessage());
        assertEquals("make_multisig", e.method());
        assertEquals(2, requests.get(0).path("params").path("threshold").asInt());
    }

    @Test
    void replyWithoutResultIsUnavailable() {
        reply = (exchange, request) -> sendJson(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":\"1\"}");

        WalletRpcUnavailable e = assertThrows(WalletRpcUnavailable.class,
                () -> client.call(endpoint(PASSWORD), "get_balance", null, TIMEOUT));

        assertFalse(e.timedOut());
    }

    @Test
    void http500IsUnavailableNotTimedOut() {
        reply = (exchange, request) -> exchange.sendResponseHeaders(500, -1);

        WalletRpcUnavailable e = assertThrows(WalletRpcUnavailable.class,
                () -> client.call(endpoint(PASSWORD), "get_balance", null, TIMEOUT));

        assertFalse(e.timedOut());
        assertEquals("get_balance", e.method());
    }

    @Test
    void slowReplyTimesOut() {
        reply = (exchange, request) -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            sendJson(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":\"1\",\"result\":{}}");
        };

        long started = System.nanoTime();
        WalletRpcUnavailable e = assertThrows(WalletRpcUnavailable.class,
                () -> client.call(endpoint(PASSWORD), "refresh", null, Duration.ofMillis(300)));

        // timedOut() is what tells the supervisor a process may be hung rather than dead.
        assertTrue(e.timedOut());
        assertTrue(Duration.ofNanos(System.nanoTime() - started).toMillis() < 5000, "the timeout was not applied");
    }

    @Test
    void connectionRefusedIsUnavailable() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }

        WalletRpcUnavailable e = assertThrows(WalletRpcUnavailable.class,
                () -> client.call(new RpcEndpoint(closedPort, USER, PASSWORD), "get_version", null, TIMEOUT));

        assertFalse(e.timedOut());
    }

    @Test
    void forwardReturnsErrorObjectUnchanged() throws IOException {
        String walletReply = "{\"jsonrpc\":\"2.0\",\"id\":\"client-7\","
                + "\"error\":{\"code\":-4,\"message\":\"not enough money\",\"data\":{\"x\":[1,2]}}}";
        reply = (exchange, request) -> sendJson(exchange, 200, walletReply);
        JsonNode request = json.readTree("{\"jsonrpc\":\"2.0\",\"id\":\"client-7\",\"method\":\"transfer\","
                + "\"params\":{\"destinations\":[{\"amount\":5,\"address\":\"5abc\"}]}}");

        JsonNode forwarded = client.forward(endpoint(PASSWORD), "transfer", request, TIMEOUT);

        assertEquals(json.readTree(walletReply), forwarded);
        assertEquals(request, requests.get(0), "the request must reach the wallet as the client sent it");
    }

    @Test
    void tracedCallsCarryTheOldAndTheCurrentRpcNamesByDefault() {
        reply = (exchange, request) -> sendJson(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                + ",\"error\":{\"code\":-28,\"message\":\"This wallet is already multisig\"}}");

        SpanData span = tracedFailure(RpcSemconv.parse(null));

        Attributes a = span.getAttributes();
        String id = requests.get(0).path("id").asText();
        // current (semconv 1.40) …
        assertEquals("jsonrpc", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_SYSTEM_NAME)));
        assertEquals("-28", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_STATUS_CODE)));
        assertEquals("-28", a.get(AttributeKey.stringKey(EscrowAttributes.ERROR_TYPE)));
        assertEquals(id, a.get(AttributeKey.stringKey(EscrowAttributes.JSONRPC_REQUEST_ID)));
        assertEquals("2.0", a.get(AttributeKey.stringKey(EscrowAttributes.JSONRPC_PROTOCOL_VERSION)));
        // … and the deprecated names, until OTEL_SEMCONV_STABILITY_OPT_IN=rpc says otherwise.
        assertEquals("jsonrpc", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_SYSTEM)));
        assertEquals(-28L, a.get(AttributeKey.longKey(EscrowAttributes.RPC_JSONRPC_ERROR_CODE)));
        assertEquals("This wallet is already multisig", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_JSONRPC_ERROR_MESSAGE)));
        assertEquals("2.0", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_JSONRPC_VERSION)));
        assertEquals(id, a.get(AttributeKey.stringKey(EscrowAttributes.RPC_JSONRPC_REQUEST_ID)));
        assertEquals("This wallet is already multisig", span.getStatus().getDescription());
    }

    @Test
    void optInRpcLeavesOnlyTheCurrentNames() {
        reply = (exchange, request) -> sendJson(exchange, 200, "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id")
                + ",\"error\":{\"code\":-28,\"message\":\"This wallet is already multisig\"}}");

        SpanData span = tracedFailure(RpcSemconv.parse("rpc"));

        Attributes a = span.getAttributes();
        assertEquals("jsonrpc", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_SYSTEM_NAME)));
        assertEquals("-28", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_STATUS_CODE)));
        assertEquals("-28", a.get(AttributeKey.stringKey(EscrowAttributes.ERROR_TYPE)));
        assertEquals(requests.get(0).path("id").asText(), a.get(AttributeKey.stringKey(EscrowAttributes.JSONRPC_REQUEST_ID)));
        assertEquals("2.0", a.get(AttributeKey.stringKey(EscrowAttributes.JSONRPC_PROTOCOL_VERSION)));
        for (String deprecated : List.of(EscrowAttributes.RPC_SYSTEM, EscrowAttributes.RPC_JSONRPC_ERROR_CODE,
                EscrowAttributes.RPC_JSONRPC_ERROR_MESSAGE, EscrowAttributes.RPC_JSONRPC_VERSION, EscrowAttributes.RPC_JSONRPC_REQUEST_ID)) {
            assertTrue(a.asMap().keySet().stream().noneMatch(k -> k.getKey().equals(deprecated)), deprecated + " is still emitted");
        }
        assertEquals("This wallet is already multisig", span.getStatus().getDescription());
    }

    @Test
    void aSuccessfulTracedCallHasNoStatusCodeAndNoErrorType() {
        reply = result("{\"version\":65562}");
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        // SimpleSpanProcessor exports as a span ends; the provider stays open, since closing it empties the exporter.
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        traced(provider, RpcSemconv.parse(null)).call(endpoint(PASSWORD), RpcCallContext.maintenance(0, null), "get_version", null);
        Attributes a = spans.getFinishedSpanItems().get(0).getAttributes();
        assertNull(a.get(AttributeKey.stringKey(EscrowAttributes.RPC_STATUS_CODE)));
        assertNull(a.get(AttributeKey.stringKey(EscrowAttributes.ERROR_TYPE)));
        assertEquals("get_version", a.get(AttributeKey.stringKey(EscrowAttributes.RPC_METHOD)));
    }

    private SpanData tracedFailure(RpcSemconv semconv) {
        InMemorySpanExporter spans = InMemorySpanExporter.create();
        SdkTracerProvider provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();
        TracedWalletRpc rpc = traced(provider, semconv);
        assertThrows(WalletRpcError.class, () -> rpc.call(endpoint(PASSWORD),
                new RpcCallContext("esc-1", "buyer", "l-1", "w-1", 0), "make_multisig", Map.of("threshold", 2)));
        List<SpanData> finished = spans.getFinishedSpanItems();
        assertEquals(1, finished.size());
        return finished.get(0);
    }

    private TracedWalletRpc traced(SdkTracerProvider provider, RpcSemconv semconv) {
        GatewayConfig.Rpc timeouts = (GatewayConfig.Rpc) Proxy.newProxyInstance(GatewayConfig.class.getClassLoader(),
                new Class<?>[] { GatewayConfig.Rpc.class }, (proxy, method, args) -> TIMEOUT);
        return new TracedWalletRpc(client, provider.get("test"), new SimpleMeterRegistry(),
                ConfigStub.answering(Map.of("rpc", timeouts)), semconv);
    }

    private RpcEndpoint endpoint(String password) {
        return new RpcEndpoint(server.getAddress().getPort(), USER, password);
    }

    private static Reply result(String resultJson) {
        return (exchange, request) -> sendJson(exchange, 200,
                "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ",\"result\":" + resultJson + "}");
    }

    private static void sendJson(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!authentic(exchange)) {
                challenges.incrementAndGet();
                exchange.getResponseHeaders().add("WWW-Authenticate", DigestChallengeTest.MD5);
                exchange.getResponseHeaders().add("WWW-Authenticate", DigestChallengeTest.MD5_SESS);
                exchange.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode request = json.readTree(body);
            requests.add(request);
            reply.send(exchange, request);
        } finally {
            exchange.close();
        }
    }

    /** The server side of RFC 2617 digest with qop=auth, for the one login the fake knows. */
    private boolean authentic(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null || !header.startsWith("Digest ")) {
            return false;
        }
        Map<String, String> p = DigestChallengeTest.params(header);
        String uri = exchange.getRequestURI().getRawPath();
        String ha1 = md5(USER + ":" + REALM + ":" + PASSWORD);
        String ha2 = md5(exchange.getRequestMethod() + ":" + uri);
        String expected = md5(ha1 + ":" + NONCE + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2);
        boolean ok = USER.equals(p.get("username")) && REALM.equals(p.get("realm")) && NONCE.equals(p.get("nonce"))
                && uri.equals(p.get("uri")) && "auth".equals(p.get("qop")) && expected.equals(p.get("response"));
        if (ok) {
            accepted.add(p);
        }
        return ok;
    }

    private static String md5(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
