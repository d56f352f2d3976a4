package dev.escrowstack.party.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.telemetry.EscrowAttributes;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * escrow-service's mailbox for one escrow and one party (docs/parties.md, "Calls"), authenticated by the party's token.
 * Each call is a span (when tracing is on) and sends its W3C traceparent, so the service's side joins the party's trace.
 */
public final class Mailbox {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROBLEM_PREFIX = "urn:escrow-stack:problem:";

    private final URI escrowUrl;
    private final String role;
    private final String token;
    private final Tracer tracer;
    /** Which path the service answers (null: not asked yet); see {@link #sendEither}. */
    private Boolean partyRoundPath;
    private Boolean partyExchangePath;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public Mailbox(URI service, String escrowId, String role, String token, Tracer tracer) {
        String base = service.toString().replaceAll("/+$", "");
        this.escrowUrl = URI.create(base + "/api/escrow/" + escrowId);
        this.role = role;
        this.token = token;
        this.tracer = tracer;
    }

    /** PUT round: true when the service took it now (201), false when it already had this very info (200). */
    public boolean submitInfo(int round, String info) {
        return send("submit_info", "PUT", "/parties/" + role + "/rounds/" + round, Map.of("info", info), 60).status() == 201;
    }

    /** GET round, waiting up to {@code waitSeconds} (the service caps it) for the last info to come in. */
    public RoundView fetchRound(int round, int waitSeconds) {
        String query = "/rounds/" + round + "?wait=" + waitSeconds;
        JsonNode body = sendEither("fetch_round", query, "/parties/" + role + query, waitSeconds + 30, partyRoundPath, found -> {
            partyRoundPath = found;
        });
        List<String> infos = new ArrayList<>();
        body.path("infos").forEach(i -> infos.add(i.asText()));
        List<String> waitingFor = new ArrayList<>();
        body.path("waiting_for").forEach(w -> waitingFor.add(w.asText()));
        return new RoundView(round, body.path("complete").asBoolean(), infos, waitingFor, body.path("deadline").asText(null));
    }

    public void submitAddress(String address) {
        send("submit_address", "PUT", "/parties/" + role + "/address", Map.of("address", address), 60);
    }

    /** GET /{id}/exchange: the escrow's status, per party and round what the service received, who it waits for. */
    public JsonNode exchange() {
        return sendEither("exchange", "/exchange", "/parties/" + role + "/exchange", 30, partyExchangePath, found -> {
            partyExchangePath = found;
        });
    }

    /**
     * docs/parties.md's path first; the party-scoped one ({@code /parties/{role}/…}) when the service does not serve that
     * path, or not to a party's token (escrow-service as written answers the party there). Remembered after the first call.
     */
    private JsonNode sendEither(String operation, String documented, String partyScoped, int timeoutSeconds, Boolean known,
            java.util.function.Consumer<Boolean> remember) {
        if (Boolean.TRUE.equals(known)) {
            return send(operation, "GET", partyScoped, null, timeoutSeconds).body();
        }
        try {
            JsonNode body = send(operation, "GET", documented, null, timeoutSeconds).body();
            remember.accept(false);
            return body;
        } catch (MailboxException e) {
            boolean notServed = e.status() == 404 && !"escrow-not-found".equals(e.type()) || e.status() == 405
                    || e.status() == 401 || e.status() == 403;
            if (known != null || !notServed) {
                throw e;
            }
            JsonNode body = send(operation, "GET", partyScoped, null, timeoutSeconds).body();
            remember.accept(true);
            return body;
        }
    }

    /** GET /api/escrow/{id}: the escrow's status and, when FAILED, its failure and diagnosis. */
    public JsonNode escrow() {
        return send("escrow", "GET", "", null, 30).body();
    }

    /** The role this mailbox speaks for: the party-scoped paths name it. */
    String role() {
        return role;
    }

    record Reply(int status, JsonNode body) {
    }

    /** One call of this party to the escrow's URL + {@code path}, as a span; a non-2xx answer is a {@link MailboxException}. */
    Reply send(String operation, String method, String path, Object body, int timeoutSeconds) {
        URI url = URI.create(escrowUrl + path);
        Tracer.Span span = tracer.start("escrow-party/" + operation)
                .attribute(EscrowAttributes.ESCROW_OPERATION, operation)
                .attribute("http.request.method", method)
                .attribute(EscrowAttributes.SERVER_ADDRESS, url.getHost())
                .attribute(EscrowAttributes.SERVER_PORT, (long) (url.getPort() > 0 ? url.getPort() : 80));
        try {
            HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(timeoutSeconds))
                    .header("Party-Token", token)
                    .header("Accept", "application/json")
                    .header("traceparent", span.traceparent());
            if (body == null) {
                request.GET();
            } else {
                request.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
            }
            HttpResponse<byte[]> response = http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            span.attribute("http.response.status_code", (long) response.statusCode());
            JsonNode reply = response.body().length == 0 ? JSON.createObjectNode() : readOrText(response.body());
            if (response.statusCode() / 100 != 2) {
                String type = reply.path("type").asText(null);
                if (type != null && type.startsWith(PROBLEM_PREFIX)) {
                    type = type.substring(PROBLEM_PREFIX.length());
                }
                String detail = reply.path("detail").asText(reply.path("title").asText(reply.path("_text").asText("")));
                span.error(String.valueOf(response.statusCode()), type);
                throw new MailboxException(method + " " + url.getPath(), response.statusCode(), type, detail, reply);
            }
            return new Reply(response.statusCode(), reply);
        } catch (IOException e) {
            span.error("unreachable", e.getClass().getSimpleName());
            throw new MailboxException(method + " " + url.getPath(), 0, null, "cannot reach " + escrowUrl.getAuthority() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MailboxException(method + " " + url.getPath(), 0, null, "interrupted");
        } finally {
            span.end();
        }
    }

    /** A problem+json body, or a body that is not JSON (a proxy's error page) kept as text for the message. */
    private static JsonNode readOrText(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException notJson) {
            String text = new String(body, java.nio.charset.StandardCharsets.UTF_8);
            return JSON.createObjectNode().put("_text", text.length() > 200 ? text.substring(0, 200) : text);
        }
    }
}
