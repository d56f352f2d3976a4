package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.escrowstack.analyzer.diagnosis.Pattern;

/**
 * One failed escrow's answer as every output gives it — the 502 problem body, the escrow's row
 * (GET /api/escrow/{id}), ERROR_FINAL in its file, the analyzer CLI's --json and trace-exporter's
 * diagnosis API — and the check that they agree on the pattern, the round, the wallets that failed and,
 * where one wallet is at fault, that wallet and its role.
 */
final class OneAnswer {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What one output says. {@code failedRoles}: every wallet whose call failed, as a set. */
    record Answer(String output, String pattern, String role, String walletId, Integer round, Set<String> failedRoles,
            List<String> otherEscrows) {

        static Answer of(String output, JsonNode rootCause, JsonNode failedRoles) {
            Set<String> roles = new TreeSet<>();
            failedRoles.forEach(r -> roles.add(r.isObject() ? r.path("role").asText() : r.asText()));
            roles.remove(""); // ERROR_FINAL without failed_roles
            List<String> others = new ArrayList<>();
            rootCause.path("other_escrows").forEach(o -> others.add(o.asText()));
            return new Answer(output, rootCause.path("pattern").asText(null), rootCause.path("role").asText(null),
                    rootCause.path("wallet_id").asText(null), rootCause.hasNonNull("round") ? rootCause.get("round").asInt() : null,
                    roles, others);
        }
    }

    private OneAnswer() {
    }

    /**
     * For every setup failure in {@code loopOutput} (the skill's curl loop), the five outputs' answers,
     * asserted equal. {@code oneWallet}: the pattern blames one wallet (A, C), so role and wallet id must
     * agree too; under B every wallet failed and the set of them is what must agree. Returns the answers
     * by escrow id.
     */
    static Map<String, List<Answer>> assertAgree(StackRunner runner, String loopOutput, int escrowPort, Pattern expected,
            boolean oneWallet) throws Exception {
        Map<String, JsonNode> cli = cli(runner);
        Map<String, List<Answer>> all = new HashMap<>();
        for (JsonNode body : bodies(loopOutput)) {
            if (!body.path("type").asText().endsWith("multisig-setup-failed")) {
                continue;
            }
            String id = body.path("escrow_id").asText();
            List<Answer> answers = new ArrayList<>();
            answers.add(Answer.of("502 body", body.path("root_cause"), body.path("surfaced").path("wallets")));
            answers.addAll(stored(runner, escrowPort, id, cli));
            check(id, answers, expected, oneWallet);
            assertFalse(answers.get(0).failedRoles().isEmpty(), "the failed wallets are named: " + answers);
            all.put(id, answers);
        }
        assertFalse(all.isEmpty(), "setup failures in: " + loopOutput);
        return all;
    }

    /**
     * A non-custodial escrow's failure, which has no 502 (it fails in the background, at a deadline or on a
     * party's message): the row, ERROR_FINAL, the CLI and the diagnosis API agree, on one party. No wallet call
     * need have failed (a party that stalled made none), so the failed wallets may be none — the same in all.
     */
    static List<Answer> assertAgree(StackRunner runner, int escrowPort, String id, Pattern expected) throws Exception {
        List<Answer> answers = stored(runner, escrowPort, id, cli(runner));
        check(id, answers, expected, true);
        return answers;
    }

    /** The analyzer CLI's --json on every file of the runner's directory, by escrow id. */
    private static Map<String, JsonNode> cli(StackRunner runner) throws Exception {
        Map<String, JsonNode> cli = new HashMap<>();
        String cliOut = runner.shell(StackRunner.ROOT.resolve("tools/analyze_escrow_json.py") + " --json escrow_*.json 2>/dev/null").output();
        for (JsonNode escrow : JSON.readTree(cliOut).path("escrows")) {
            cli.put(escrow.path("escrow_id").asText(), escrow.path("diagnosis"));
        }
        return cli;
    }

    /** What the outputs made after the failure say: the escrow's row, ERROR_FINAL, the CLI, the diagnosis API. */
    private static List<Answer> stored(StackRunner runner, int escrowPort, String id, Map<String, JsonNode> cli) throws Exception {
        String exporter = "http://127.0.0.1:" + runner.env.get("EXPORTER_HTTP_PORT");
        JsonNode row = JSON.readTree(runner.shell("curl -s http://127.0.0.1:" + escrowPort + "/api/escrow/" + id).output()).path("failure");
        JsonNode finalError = errorFinal(runner, id);
        JsonNode api = JSON.readTree(runner.shell("curl -s " + exporter + "/api/traces/" + id + "/diagnosis").output()).path("diagnosis");
        assertTrue(cli.containsKey(id), "the CLI read escrow_" + id + ".json: " + cli.keySet());
        return new ArrayList<>(List.of(
                Answer.of("escrow row", row.path("root_cause"), row.path("surfaced").path("wallets")),
                Answer.of("ERROR_FINAL", finalError.path("root_cause"),
                        JSON.valueToTree(List.of(finalError.path("context").path("failed_roles").asText("").split(",")))),
                Answer.of("CLI --json", cli.get(id).path("root_cause"), cli.get(id).path("surfaced").path("wallets")),
                Answer.of("diagnosis API", api.path("root_cause"), api.path("surfaced").path("wallets"))));
    }

    private static void check(String id, List<Answer> answers, Pattern expected, boolean oneWallet) {
        Answer first = answers.get(0);
        for (Answer a : answers) {
            String where = "escrow " + id + ", " + a.output() + " vs the " + first.output() + ": " + answers;
            assertEquals(expected.name(), a.pattern(), where);
            assertEquals(first.round(), a.round(), where);
            assertEquals(first.failedRoles(), a.failedRoles(), where);
            if (oneWallet) {
                assertEquals(first.role(), a.role(), where);
                assertEquals(first.walletId(), a.walletId(), where);
            }
        }
    }

    /** The problem bodies and escrows the loop's concurrent curls printed, one after the other. */
    private static List<JsonNode> bodies(String output) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        String text = output.substring(Math.max(0, output.indexOf('{')));
        try (MappingIterator<JsonNode> it = JSON.readerFor(JsonNode.class).readValues(text)) {
            while (it.hasNext()) {
                list.add(it.next());
            }
        }
        return list;
    }

    private static JsonNode errorFinal(StackRunner runner, String id) throws Exception {
        for (JsonNode e : JSON.readTree(Files.readString(runner.workdir().resolve("escrow_" + id + ".json")))) {
            if (e.path("event_type").asText().equals("ERROR_FINAL")) {
                return e.path("details");
            }
        }
        fail("no ERROR_FINAL in escrow_" + id + ".json");
        return null;
    }
}
