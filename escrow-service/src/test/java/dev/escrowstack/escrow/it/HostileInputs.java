package dev.escrowstack.escrow.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Generated bad requests for every endpoint of the three services: malformed and truncated JSON, wrong
 * types, huge numbers, deep nesting, oversized bodies, hostile unicode, path-traversal and injection ids,
 * wrong content types, bad fencing tokens, garbage and compression bombs for the OTLP receiver. Each case
 * says which answers are acceptable; none accepts a 5xx.
 */
final class HostileInputs {

    /** {@code mayCreate}: a well-formed request with odd but valid content, which may succeed (2xx) too. */
    record Case(String service, String name, String method, String path, String contentType, byte[] body, Map<String, String> headers,
            boolean mayCreate) {

        String label() {
            return service + " " + method + " " + path.replaceAll("(.{60}).+", "$1…") + " [" + name + "]";
        }
    }

    private static final List<String> BAD_IDS = List.of("..%2F..%2Fetc%2Fpasswd", "%2e%2e%2f%2e%2e%2fsecrets.env", "..", "a%00b",
            "%27%20OR%201%3D1%20--", "x".repeat(5000), "%F0%9F%92%A3", "%E2%80%AEreverse", "%C0%AE%C0%AE%2F", "esc-%0D%0AInjected:%201",
            "%7B%22a%22%3A1%7D");

    private HostileInputs() {
    }

    static List<Case> all() throws IOException {
        List<Case> cases = new ArrayList<>();
        escrowService(cases);
        walletGateway(cases);
        traceExporter(cases);
        return cases;
    }

    /** Bodies that are not a valid JSON object of the right shape, for any JSON endpoint. */
    static List<String[]> badJson(String validPrefix) {
        List<String[]> bodies = new ArrayList<>(List.of(
                new String[] { "empty", "" }, new String[] { "truncated", "{\"buyer_id\": \"b" }, new String[] { "null", "null" },
                new String[] { "array", "[1,2,3]" }, new String[] { "string", "\"escrow\"" }, new String[] { "number", "12345" },
                new String[] { "trailing comma", "{" + validPrefix + ",}" }, new String[] { "single quotes", "{'a': 1}" },
                new String[] { "comment", "{/* x */" + validPrefix + "}" }, new String[] { "NaN", "{\"amount\": NaN}" },
                new String[] { "bare word", "{\"amount\": infinity}" }, new String[] { "duplicate keys", "{" + validPrefix + "," + validPrefix + "}" },
                new String[] { "latin-1 text", "{\"buyer_id\": \"\u00ff\u00fe\"}" },
                new String[] { "deep array", "[".repeat(100_000) + "]".repeat(100_000) },
                new String[] { "deep object", "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000) },
                new String[] { "huge string", "{\"buyer_id\": \"" + "A".repeat(3_000_000) + "\"}" }));
        return bodies;
    }

    private static void escrowService(List<Case> cases) {
        String init = "/api/escrow/init";
        for (String[] b : badJson("\"buyer_id\": \"b\"")) {
            cases.add(json("escrow-service", b[0], "POST", init, b[1]));
        }
        String ok = "\"vendor_id\": \"v\", \"buyer_id\": \"b\"";
        for (String amount : List.of("-1", "0", "1.5", "\"1000\"", "true", "null", "[]", "{}", "1e400", "18446744073709551616",
                "-9223372036854775809", "99999999999999999999999999999999999999", "0x10", "1_000")) {
            cases.add(json("escrow-service", "amount " + amount, "POST", init, "{" + ok + ", \"amount\": " + amount + "}"));
        }
        for (String id : List.of("123", "true", "[]", "{}", "null", "\"\"", "\"   \"", "\"" + "x".repeat(10_000) + "\"")) {
            cases.add(json("escrow-service", "buyer_id " + id.substring(0, Math.min(8, id.length())), "POST", init,
                    "{\"buyer_id\": " + id + ", \"vendor_id\": \"v\", \"amount\": 1000}"));
        }
        cases.add(json("escrow-service", "unknown field", "POST", init, "{" + ok + ", \"amount\": 1000, \"admin\": true}"));
        cases.add(json("escrow-service", "missing vendor", "POST", init, "{\"buyer_id\": \"b\", \"amount\": 1000}"));
        cases.add(json("escrow-service", "bad payout address", "POST", init,
                "{" + ok + ", \"amount\": 1000, \"buyer_payout_address\": \"4" + "1".repeat(94) + "\"}"));
        for (String u : List.of("\\u0000", "\\u202e", "\\ud800", "\uD83D\uDCA3\uD83D\uDCA3", "\u0000\u0007\u001b[31m", "<script>alert(1)</script>",
                "' OR 1=1 --", "../../etc/passwd")) {
            // Odd but well-formed ids with a negative amount: refused for the amount, whatever the id does to parsing.
            cases.add(json("escrow-service", "unicode id + bad amount", "POST", init,
                    "{\"buyer_id\": \"" + u + "\", \"vendor_id\": \"v\", \"amount\": -5}"));
        }
        for (String type : List.of("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data")) {
            cases.add(new Case("escrow-service", "content type " + type, "POST", init, type,
                    ("{" + ok + ", \"amount\": 1000}").getBytes(StandardCharsets.UTF_8), Map.of(), false));
        }
        cases.add(new Case("escrow-service", "idempotency key too long", "POST", init, "application/json",
                "{\"buyer_id\": \"b\", \"vendor_id\": \"v\", \"amount\": -1}".getBytes(StandardCharsets.UTF_8),
                Map.of("Idempotency-Key", "k".repeat(5000)), false));
        for (String id : BAD_IDS) {
            cases.add(plain("escrow-service", "id", "GET", "/api/escrow/" + id));
            cases.add(plain("escrow-service", "id", "GET", "/api/escrow/" + id + "/funding"));
            for (String op : List.of("release", "refund")) {
                cases.add(plain("escrow-service", "id", "POST", "/api/escrow/" + id + "/" + op));
            }
            cases.add(json("escrow-service", "id", "POST", "/api/escrow/" + id + "/dispute", "{\"raised_by\": \"buyer\", \"reason\": \"x\"}"));
            cases.add(json("escrow-service", "id", "POST", "/api/escrow/" + id + "/resolve", "{\"winner\": \"buyer\"}"));
            cases.add(json("escrow-service", "id", "PUT", "/api/escrow/" + id + "/payout-addresses", "{}"));
        }
        for (String q : List.of("status=NOPE", "page=-1", "size=0", "size=100000000", "page=abc", "size=1e9", "page=99999999999999999999",
                "status=%00", "status=READY&status=FAILED&size=-5")) {
            cases.add(plain("escrow-service", "query", "GET", "/api/escrow?" + q));
        }
        String missing = "/api/escrow/esc-00000000000000000000";
        for (String[] b : badJson("\"raised_by\": \"buyer\"")) {
            cases.add(json("escrow-service", "dispute " + b[0], "POST", missing + "/dispute", b[1]));
            cases.add(json("escrow-service", "resolve " + b[0], "POST", missing + "/resolve", b[1]));
            cases.add(json("escrow-service", "addresses " + b[0], "PUT", missing + "/payout-addresses", b[1]));
        }
        cases.add(json("escrow-service", "winner nobody", "POST", missing + "/resolve", "{\"winner\": \"nobody\"}"));
        // Credentials that must not get anyone in: the list is the operator's, so each is a 401 (or a 403).
        String unsigned = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + base64Url("{\"iss\":\"escrow-stack-local\",\"sub\":\"x\","
                + "\"groups\":[\"operator\"],\"exp\":9999999999}") + ".";
        for (String authorization : List.of("Bearer", "Bearer ", "Bearer a.b.c", "Bearer " + unsigned, "Basic dXNlcjpwYXNz",
                "Bearer " + "x".repeat(4000), "Bearer eyJ" + "%00")) {
            cases.add(new Case("escrow-service", "authorization", "GET", "/api/escrow", null, null, Map.of("Authorization", authorization), false));
        }
        cases.add(json("escrow-service", "raised_by 5", "POST", missing + "/dispute", "{\"raised_by\": 5}"));
    }

    private static void walletGateway(List<Case> cases) {
        for (String[] b : badJson("\"holder\": \"h\"")) {
            cases.add(json("wallet-gateway", b[0], "POST", "/v1/leases", b[1]));
        }
        String wallets = "\"wallets\": {\"buyer\": {}}";
        for (String field : List.of("\"ttl_seconds\": -1", "\"ttl_seconds\": 1e400", "\"ttl_seconds\": \"x\"", "\"wait_seconds\": -5",
                "\"wait_seconds\": 99999999999999999999", "\"holder\": 5", "\"holder\": \"" + "h".repeat(10_000) + "\"")) {
            cases.add(json("wallet-gateway", field.replaceAll("(.{30}).+", "$1"), "POST", "/v1/leases",
                    "{\"holder\": \"h\", " + wallets + ", " + field + "}"));
        }
        for (String w : List.of("{\"nobody\": {}}", "{}", "[]", "{\"buyer\": {\"wallet_id\": \"../../fencing.state\"}}",
                "{\"buyer\": {\"wallet_id\": \"w-%00\"}}", "{\"buyer\": {\"wallet_id\": 5}}", "{\"buyer\": \"w\"}")) {
            cases.add(json("wallet-gateway", "wallets " + w.replaceAll("(.{25}).+", "$1"), "POST", "/v1/leases",
                    "{\"holder\": \"h\", \"wallets\": " + w + ", \"ttl_seconds\": 10, \"wait_seconds\": 0}"));
        }
        for (String id : BAD_IDS) {
            cases.add(plain("wallet-gateway", "id", "GET", "/v1/leases/" + id));
            cases.add(plain("wallet-gateway", "id", "DELETE", "/v1/leases/" + id));
            cases.add(plain("wallet-gateway", "id", "GET", "/v1/leases/" + id + "/wallets/buyer/state"));
            cases.add(plain("wallet-gateway", "role", "GET", "/v1/leases/l-0000000000000000/wallets/" + id + "/state"));
        }
        for (String token : List.of("abc", "-1", "99999999999999999999", "1e3", "", " 1")) {
            cases.add(new Case("wallet-gateway", "fencing token '" + token + "'", "POST", "/v1/leases/l-0000000000000000/wallets/buyer/multisig/prepare",
                    "application/json", new byte[0], Map.of("Fencing-Token", token), false));
        }
        for (String[] b : badJson("\"multisig_info\": [\"x\"]")) {
            cases.add(new Case("wallet-gateway", "make " + b[0], "POST", "/v1/leases/l-0000000000000000/wallets/buyer/multisig/make",
                    "application/json", b[1].getBytes(StandardCharsets.UTF_8), Map.of("Fencing-Token", "1"), false));
        }
    }

    private static void traceExporter(List<Case> cases) throws IOException {
        String traces = "/v1/traces";
        for (String[] b : badJson("\"resourceSpans\": []")) {
            // OTLP: a receiver must ignore fields it does not know, so any JSON object is a (possibly empty) request.
            cases.add(new Case("trace-exporter", b[0], "POST", traces, "application/json", b[1].getBytes(StandardCharsets.UTF_8), Map.of(),
                    isJsonObject(b[1])));
        }
        for (String body : List.of("{\"resourceSpans\": 5}", "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"zz\"}]}]}]}",
                "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"" + "ab".repeat(16) + "\", \"spanId\": \"" + "cd".repeat(8)
                        + "\", \"startTimeUnixNano\": \"99999999999999999999999\"}]}]}]}",
                "{\"resourceSpans\": [{\"scopeSpans\": [{\"spans\": [{\"traceId\": \"" + "ab".repeat(16) + "\", \"spanId\": \"" + "cd".repeat(8)
                        + "\", \"attributes\": [{\"key\": \"escrow.id\", \"value\": {\"stringValue\": \"../../../tmp/x\"}}]}]}]}]}")) {
            cases.add(new Case("trace-exporter", "otlp json shape", "POST", traces, "application/json", body.getBytes(StandardCharsets.UTF_8),
                    Map.of(), true));
        }
        byte[][] garbage = { new byte[] { 0x0a, (byte) 0xff, 0x01 }, new byte[] { (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff },
                "not protobuf at all".getBytes(StandardCharsets.UTF_8), new byte[] { 0x0a, (byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x0f } };
        for (byte[] g : garbage) {
            cases.add(new Case("trace-exporter", "protobuf garbage", "POST", traces, "application/x-protobuf", g, Map.of(), false));
        }
        cases.add(new Case("trace-exporter", "gzip bomb", "POST", traces, "application/x-protobuf", gzip(new byte[200 * 1024 * 1024]),
                Map.of("Content-Encoding", "gzip"), false));
        cases.add(new Case("trace-exporter", "not gzip", "POST", traces, "application/x-protobuf", new byte[] { 1, 2, 3 },
                Map.of("Content-Encoding", "gzip"), false));
        cases.add(new Case("trace-exporter", "unknown encoding", "POST", traces, "application/x-protobuf", new byte[] { 1 },
                Map.of("Content-Encoding", "br"), false));
        cases.add(new Case("trace-exporter", "content type", "POST", traces, "text/plain", "x".getBytes(StandardCharsets.UTF_8), Map.of(), false));
        cases.add(new Case("trace-exporter", "wrong ingest token", "POST", traces, "application/json", "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("Authorization", "Bearer wrong"), false));
        for (String id : BAD_IDS) {
            cases.add(plain("trace-exporter", "id", "GET", "/api/traces/" + id));
            cases.add(plain("trace-exporter", "id", "GET", "/api/traces/" + id + "/file"));
            cases.add(plain("trace-exporter", "id", "GET", "/api/traces/" + id + "/diagnosis"));
            cases.add(plain("trace-exporter", "id", "GET", "/api/traces/esc-x/compare/" + id));
        }
    }

    private static String base64Url(String json) {
        return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static boolean isJsonObject(String text) {
        try {
            return new com.fasterxml.jackson.databind.ObjectMapper().readTree(text).isObject();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    private static Case json(String service, String name, String method, String path, String body) {
        return new Case(service, name, method, path, "application/json", body.getBytes(StandardCharsets.UTF_8), Map.of(), false);
    }

    private static Case plain(String service, String name, String method, String path) {
        return new Case(service, name, method, path, null, null, Map.of(), false);
    }
}
