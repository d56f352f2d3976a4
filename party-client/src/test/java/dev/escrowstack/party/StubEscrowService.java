package dev.escrowstack.party;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.escrowstack.party.wallet.WalletRpc;
import dev.escrowstack.telemetry.Hashes;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * escrow-service's mailbox for custody "parties" as docs/parties.md describes it, in a test: tokens per role, PUT round
 * (201, 200 the same again, 409 info-differs / round-not-open / setup-ended, 400 not an info, 403 another's token),
 * GET round with a long-poll, PUT address, GET exchange and GET escrow. The arbiter's part is played with a real
 * wallet-rpc, as the service plays it with the gateway's wallet. It also takes OTLP/HTTP JSON on /v1/traces.
 * An escrow marked {@link Escrow#asWritten} answers as escrow-service was written at the time instead: the party's GETs
 * under /parties/{role}/ only, /exchange and the escrow view not to a party, and a GET round of an ended setup at once.
 */
final class StubEscrowService implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> ROLES = List.of("buyer", "vendor", "arbiter");
    private static final Pattern PARTY_ROUND = Pattern.compile("/api/escrow/([^/]+)/parties/([a-z]+)/rounds/(\\d+)");
    private static final Pattern PARTY_ADDRESS = Pattern.compile("/api/escrow/([^/]+)/parties/([a-z]+)/address");
    private static final Pattern ROUND = Pattern.compile("/api/escrow/([^/]+)(/parties/[a-z]+)?/rounds/(\\d+)");
    private static final Pattern EXCHANGE = Pattern.compile("/api/escrow/([^/]+)(/parties/[a-z]+)?/exchange");
    private static final Pattern ESCROW = Pattern.compile("/api/escrow/([^/]+)");
    private static final Pattern FUNDS = Pattern.compile("/api/escrow/([^/]+)/parties/([a-z]+)/(funds|sync/(\\d+)(/imported)?|payout(/submitted)?)");

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final Map<String, Escrow> escrows = new ConcurrentHashMap<>();
    /** Every request the mailbox answered, e.g. "PUT E1 vendor round 1 201", in order. */
    final List<String> requests = new CopyOnWriteArrayList<>();
    /** The traceparent header of each mailbox request that had one. */
    final List<String> traceparents = new CopyOnWriteArrayList<>();
    /** The raw OTLP bodies received on /v1/traces, with the headers' Authorization. */
    final List<String> otlpBodies = new CopyOnWriteArrayList<>();
    final List<String> otlpAuthorizations = new CopyOnWriteArrayList<>();

    StubEscrowService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** An escrow AWAITING_PARTIES whose arbiter is the wallet open in {@code arbiter}; its round 1 is in already. */
    Escrow create(String id, WalletRpc arbiter) {
        Escrow escrow = new Escrow(id, arbiter);
        if (arbiter != null) {
            escrow.put("arbiter", 1, arbiter.call("prepare_multisig", Map.of("enable_multisig_experimental", true))
                    .path("multisig_info").asText());
        }
        escrows.put(id, escrow);
        return escrow;
    }

    Escrow escrow(String id) {
        return escrows.get(id);
    }

    private void handle(HttpExchange http) throws IOException {
        try (http) {
            String path = http.getRequestURI().getPath();
            String method = http.getRequestMethod();
            if (path.equals("/v1/traces")) {
                otlpBodies.add(new String(http.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8));
                otlpAuthorizations.add(String.valueOf(http.getRequestHeaders().getFirst("Authorization")));
                send(http, 200, JSON.createObjectNode());
                return;
            }
            String traceparent = http.getRequestHeaders().getFirst("traceparent");
            if (traceparent != null) {
                traceparents.add(traceparent);
            }
            Matcher m;
            Reply reply;
            if ((m = FUNDS.matcher(path)).matches()) {
                reply = funds(http, m);
                send(http, reply.status, reply.body);
                return;
            }
            if ((m = PARTY_ROUND.matcher(path)).matches() && method.equals("PUT")) {
                reply = escrowOf(m.group(1)).submitInfo(token(http), m.group(2), Integer.parseInt(m.group(3)), body(http).path("info").asText(null));
                requests.add("PUT " + m.group(1) + " " + m.group(2) + " round " + m.group(3) + " " + reply.status);
            } else if ((m = PARTY_ADDRESS.matcher(path)).matches() && method.equals("PUT")) {
                reply = escrowOf(m.group(1)).submitAddress(token(http), m.group(2), body(http).path("address").asText(null));
                requests.add("PUT " + m.group(1) + " " + m.group(2) + " address " + reply.status);
            } else if ((m = ROUND.matcher(path)).matches() && method.equals("GET")) {
                String query = http.getRequestURI().getQuery();
                int wait = query != null && query.startsWith("wait=") ? Math.min(60, Integer.parseInt(query.substring(5))) : 0;
                Escrow escrow = escrowOf(m.group(1));
                reply = escrow.asWritten != (m.group(2) != null) ? problem(404, "not-found", "no such call")
                        : escrow.fetchRound(token(http), Integer.parseInt(m.group(3)), wait);
                requests.add("GET " + m.group(1) + (m.group(2) == null ? "" : m.group(2)) + " round " + m.group(3) + " " + reply.status);
            } else if ((m = EXCHANGE.matcher(path)).matches() && method.equals("GET")) {
                Escrow escrow = escrowOf(m.group(1));
                reply = escrow.asWritten && m.group(2) == null ? problem(401, "unauthorized", "marketplace, arbiter or operator only")
                        : escrow.exchange(token(http));
            } else if ((m = ESCROW.matcher(path)).matches() && method.equals("GET")) {
                Escrow escrow = escrowOf(m.group(1));
                reply = escrow.asWritten ? problem(401, "unauthorized", "marketplace only") : escrow.view(token(http));
            } else {
                reply = problem(404, "not-found", "no such call");
            }
            send(http, reply.status, reply.body);
        } catch (NoSuchEscrow e) {
            send(http, 404, problem(404, "escrow-not-found", "no escrow " + e.getMessage()).body);
        }
    }

    /** The funds calls; logged as e.g. "PUT E1 buyer sync 1 201", "GET E1 buyer payout 200", "PUT E1 buyer submitted 200". */
    private Reply funds(HttpExchange http, Matcher m) throws IOException {
        Escrow escrow = escrowOf(m.group(1));
        String role = m.group(2);
        String method = http.getRequestMethod();
        String query = http.getRequestURI().getQuery();
        int wait = query != null && query.startsWith("wait=") ? Math.min(60, Integer.parseInt(query.substring(5))) : 0;
        Reply reply;
        String call;
        if (escrow.token(role) == null || !escrow.token(role).equals(token(http))) {
            reply = problem(403, "forbidden", "this token is not the " + role + "'s of escrow " + escrow.id);
            call = m.group(3);
        } else if (m.group(3).equals("funds")) {
            reply = escrow.funds.view();
            call = "funds";
        } else if (m.group(4) != null) {
            int epoch = Integer.parseInt(m.group(4));
            call = (m.group(5) != null ? "imported " : "sync ") + epoch;
            reply = m.group(5) != null ? escrow.funds.putImported(role, epoch, body(http))
                    : method.equals("PUT") ? escrow.funds.putExport(role, epoch, body(http).path("info").asText())
                    : escrow.funds.fetchSync(role, epoch, wait);
        } else if (m.group(6) != null) {
            call = "submitted";
            JsonNode body = body(http);
            Reply held = escrow.funds.heldSubmitted();
            reply = held != null ? held : escrow.funds.putSubmitted(body);
        } else {
            call = "payout";
            reply = method.equals("PUT") ? escrow.funds.putPayout(role, body(http)) : escrow.funds.fetchPayout(role, wait);
        }
        requests.add(method + " " + escrow.id + " " + role + " " + call + " " + reply.status);
        return reply;
    }

    private Escrow escrowOf(String id) {
        Escrow escrow = escrows.get(id);
        if (escrow == null) {
            throw new NoSuchEscrow(id);
        }
        return escrow;
    }

    private static String token(HttpExchange http) {
        return http.getRequestHeaders().getFirst("Party-Token");
    }

    private static JsonNode body(HttpExchange http) throws IOException {
        byte[] bytes = http.getRequestBody().readAllBytes();
        return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
    }

    private static void send(HttpExchange http, int status, JsonNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        http.getResponseHeaders().set("Content-Type", status >= 400 ? "application/problem+json" : "application/json");
        http.sendResponseHeaders(status, bytes.length);
        http.getResponseBody().write(bytes);
    }

    record Reply(int status, JsonNode body) {
    }

    static Reply problem(int status, String type, String detail) {
        return new Reply(status, JSON.createObjectNode().put("type", "urn:escrow-stack:problem:" + type)
                .put("title", type).put("status", status).put("detail", detail));
    }

    private static final class NoSuchEscrow extends RuntimeException {
        NoSuchEscrow(String id) {
            super(id);
        }
    }

    /** One escrow's mailbox; every method holds the escrow's monitor, long-polls wait on it. */
    static final class Escrow {
        final String id;
        final Map<String, String> tokens = Map.of("buyer", "tok-buyer-" + System.nanoTime(), "vendor", "tok-vendor-" + System.nanoTime());
        private final WalletRpc arbiter;
        /** After the setup: the funds calls (a funded escrow, for the funds commands' tests). */
        final StubFunds funds;
        private final Map<Integer, Map<String, String>> infos = new TreeMap<>();
        private final Map<String, String> addresses = new TreeMap<>();
        String status = "AWAITING_PARTIES";
        ObjectNode failure;
        volatile boolean asWritten;

        Escrow(String id, WalletRpc arbiter) {
            this.id = id;
            this.arbiter = arbiter;
            this.funds = new StubFunds(id, arbiter);
        }

        String token(String role) {
            return tokens.get(role);
        }

        synchronized String address() {
            return addresses.get("arbiter");
        }

        /** Ends the setup as FAILED with {@code failure} (what GET /api/escrow/{id} shows). */
        synchronized void fail(ObjectNode failure) {
            this.status = "FAILED";
            this.failure = failure;
            notifyAll();
        }

        /** Puts an info in directly, as if a party (or a second client of it) had submitted it. */
        synchronized void put(String role, int round, String info) {
            infos.computeIfAbsent(round, r -> new TreeMap<>()).put(role, info);
            notifyAll();
        }

        private String roleOf(String token) {
            return tokens.entrySet().stream().filter(e -> e.getValue().equals(token)).map(Map.Entry::getKey).findFirst().orElse(null);
        }

        synchronized Reply submitInfo(String token, String role, int round, String info) {
            if (token == null || !token.equals(tokens.get(role))) {
                return problem(403, "forbidden", "this token is not the " + role + "'s of escrow " + id);
            }
            if (!status.equals("AWAITING_PARTIES")) {
                return problem(409, "setup-ended", "the setup of escrow " + id + " has ended: " + status);
            }
            if (info == null || !info.startsWith("Multisig") || round < 1 || round > 3) {
                return problem(400, "not-a-multisig-info", "not a multisig info for round 1, 2 or 3");
            }
            if (round > 1 && !complete(round - 1)) {
                return problem(409, "round-not-open", "round " + round + " opens when round " + (round - 1) + " is complete");
            }
            String before = infos.getOrDefault(round, Map.of()).get(role);
            if (before != null) {
                return before.equals(info) ? new Reply(200, JSON.createObjectNode().put("round", round))
                        : problem(409, "info-differs", role + " already submitted a different round-" + round + " info (sha256 "
                                + Hashes.sha256Hex(before).substring(0, 12) + "…); the first one counts");
            }
            put(role, round, info);
            if (complete(round)) {
                arbiterPlays(round);
            }
            return new Reply(201, JSON.createObjectNode().put("round", round));
        }

        /** What the service does with its arbiter wallet once a round is complete. */
        private void arbiterPlays(int round) {
            List<String> others = others("arbiter", round);
            Map<String, Object> params = round == 1 ? Map.of("multisig_info", others, "threshold", 2, "password", "")
                    : Map.of("multisig_info", others, "password", "");
            JsonNode result = arbiter.call(round == 1 ? "make_multisig" : "exchange_multisig_keys", params);
            if (round < 3) {
                put("arbiter", round + 1, result.path("multisig_info").asText());
            } else {
                addresses.put("arbiter", result.path("address").asText());
                settle();
            }
        }

        synchronized Reply submitAddress(String token, String role, String address) {
            if (token == null || !token.equals(tokens.get(role))) {
                return problem(403, "forbidden", "this token is not the " + role + "'s of escrow " + id);
            }
            if (!status.equals("AWAITING_PARTIES")) {
                return problem(409, "setup-ended", "the setup of escrow " + id + " has ended: " + status);
            }
            if (!complete(3)) {
                return problem(409, "round-not-open", "the address comes after round 3");
            }
            addresses.put(role, address);
            settle();
            return new Reply(201, JSON.createObjectNode());
        }

        private void settle() {
            if (addresses.size() < 3) {
                return;
            }
            if (addresses.values().stream().distinct().count() == 1) {
                status = "READY";
            } else {
                String odd = addresses.entrySet().stream().filter(e -> !e.getValue().equals(addresses.get("arbiter")))
                        .map(Map.Entry::getKey).findFirst().orElse("?");
                failure = JSON.createObjectNode().put("round", 4).put("role", odd).put("error", "the " + odd + "'s address differs");
                status = "FAILED";
            }
            infos.clear(); // the setup ended: infos are erased
            notifyAll();
        }

        synchronized Reply fetchRound(String token, int round, int waitSeconds) {
            String role = roleOf(token);
            if (role == null) {
                return problem(403, "forbidden", "not a party of escrow " + id);
            }
            long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
            while (!complete(round) && status.equals("AWAITING_PARTIES")) {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0) {
                    break;
                }
                try {
                    wait(left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (!status.equals("AWAITING_PARTIES") && !asWritten) {
                return problem(409, "setup-ended", "the setup of escrow " + id + " has ended: " + status);
            }
            ObjectNode body = JSON.createObjectNode().put("round", round).put("complete", complete(round))
                    .put("deadline", "2026-01-01T00:10:00Z");
            if (complete(round)) {
                others(role, round).forEach(body.putArray("infos")::add);
            } else {
                missing(round).forEach(body.putArray("waiting_for")::add);
            }
            return new Reply(200, body);
        }

        synchronized Reply exchange(String token) {
            if (roleOf(token) == null) {
                return problem(403, "forbidden", "not a party of escrow " + id);
            }
            ObjectNode body = JSON.createObjectNode().put("escrow_id", id).put("status", status);
            int current = complete(1) ? complete(2) ? complete(3) ? 4 : 3 : 2 : 1;
            body.put("round", current);
            ObjectNode parties = body.putObject("parties");
            infos.forEach((round, byRole) -> byRole.forEach((role, info) -> parties.with(role).putObject(String.valueOf(round))
                    .put("sha256", Hashes.sha256Hex(info)).put("size", info.length())));
            return new Reply(200, body);
        }

        synchronized Reply view(String token) {
            if (roleOf(token) == null) {
                return problem(403, "forbidden", "not a party of escrow " + id);
            }
            ObjectNode body = JSON.createObjectNode().put("escrow_id", id).put("status", status);
            if (status.equals("READY")) {
                body.put("multisig_address", addresses.get("arbiter"));
            }
            if (failure != null) {
                body.set("failure", failure);
            }
            return new Reply(200, body);
        }

        private boolean complete(int round) {
            return infos.getOrDefault(round, Map.of()).size() == 3;
        }

        private List<String> missing(int round) {
            List<String> missing = new ArrayList<>(ROLES);
            missing.removeAll(infos.getOrDefault(round, Map.of()).keySet());
            return missing;
        }

        private List<String> others(String role, int round) {
            List<String> others = new ArrayList<>();
            infos.get(round).forEach((r, info) -> {
                if (!r.equals(role)) {
                    others.add(info);
                }
            });
            Collections.sort(others);
            return others;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
