package dev.escrowstack.party;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.escrowstack.party.StubEscrowService.Reply;
import dev.escrowstack.party.wallet.WalletRpc;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One escrow's funds calls as /tmp/party-funds-api.md specifies them, in a test: sync epochs (PUT 201/200/409
 * info-differs/epoch-not-current, the long-poll, imported), the funds view, and a release or refund (PUT payout,
 * GET payout with the set for the signer only, PUT submitted). The arbiter's export is put in when an epoch opens,
 * from its real wallet when there is one. Refusals a test wants are queued: {@link #nextPayoutPut}, {@link #nextPayoutGet}.
 */
final class StubFunds {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String escrowId;
    private final WalletRpc arbiter;
    String status = "FUNDED";
    int epoch;
    final Map<Integer, Map<String, String>> exports = new TreeMap<>();
    final Map<Integer, Map<String, List<String>>> imported = new TreeMap<>();
    String buyerPayoutAddress = "5BuyerPayoutAddressXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    String vendorPayoutAddress = "5VendorPayoutAddressXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX";
    ObjectNode payout;
    String txset;
    /** Answers the next PUT payout (resp. GET payout) gets instead of the normal one, in order. */
    final Deque<Reply> nextPayoutPut = new ArrayDeque<>();
    final Deque<Reply> nextPayoutGet = new ArrayDeque<>();
    final Deque<Reply> nextSubmitted = new ArrayDeque<>();
    /** When set, a PUT submitted counts {@code submittedArrived} down, then waits here and is answered 503: never recorded. */
    volatile java.util.concurrent.CountDownLatch holdSubmitted;
    final java.util.concurrent.CountDownLatch submittedArrived = new java.util.concurrent.CountDownLatch(1);

    StubFunds(String escrowId, WalletRpc arbiter) {
        this.escrowId = escrowId;
        this.arbiter = arbiter;
    }

    /** A new epoch with the arbiter's export in, as the service opens one (funding, refused set, re-issue). */
    synchronized void openEpoch() {
        epoch++;
        String info = arbiter == null ? "a1b1c1d1" + epoch : arbiter.call("export_multisig_info", Map.of()).path("info").asText();
        exports.computeIfAbsent(epoch, e -> new TreeMap<>()).put("arbiter", info);
        notifyAll();
    }

    synchronized Reply putExport(String role, int e, String info) {
        if (epoch == 0 && status.equals("FUNDED")) {
            openEpoch(); // lazily, on the first call after funding
        }
        if (!status.equals("FUNDED") && !status.equals("PAYOUT_PENDING")) {
            return StubEscrowService.problem(409, "escrow-state-conflict", "the escrow is " + status);
        }
        if (e != epoch) {
            return notCurrent(e);
        }
        String before = exports.computeIfAbsent(e, x -> new TreeMap<>()).get(role);
        if (before != null) {
            return before.equals(info) ? new Reply(200, JSON.createObjectNode().put("epoch", e))
                    : StubEscrowService.problem(409, "info-differs", role + " exported a different info for epoch " + e);
        }
        exports.get(e).put(role, info);
        notifyAll();
        return new Reply(201, JSON.createObjectNode().put("epoch", e));
    }

    synchronized Reply fetchSync(String role, int e, int waitSeconds) {
        if (e != epoch) {
            return notCurrent(e);
        }
        String other = other(role);
        long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
        while (!exports.get(e).containsKey(other) && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        ObjectNode body = JSON.createObjectNode().put("escrow_id", escrowId).put("epoch", e);
        boolean complete = exports.get(e).containsKey(other);
        body.put("complete", complete);
        ArrayNode infos = body.putArray("infos");
        ArrayNode from = body.putArray("from");
        ArrayNode waitingFor = body.putArray("waiting_for");
        exports.get(e).forEach((r, info) -> {
            if (!r.equals(role)) {
                infos.add(info);
                from.add(r);
            }
        });
        if (!complete) {
            waitingFor.add(other);
        }
        return new Reply(200, body);
    }

    synchronized Reply putImported(String role, int e, JsonNode body) {
        if (e != epoch) {
            return notCurrent(e);
        }
        List<String> from = new ArrayList<>();
        body.path("from").forEach(f -> from.add(f.asText()));
        imported.computeIfAbsent(e, x -> new TreeMap<>()).put(role, from);
        return new Reply(200, JSON.createObjectNode().put("epoch", e));
    }

    synchronized Reply view() {
        ObjectNode body = JSON.createObjectNode().put("escrow_id", escrowId).put("status", status).put("epoch", epoch);
        ArrayNode exported = body.putArray("exported");
        exports.getOrDefault(epoch, Map.of()).keySet().forEach(exported::add);
        ObjectNode imports = body.putObject("imported");
        imported.getOrDefault(epoch, Map.of()).forEach((r, from) -> from.forEach(imports.withArray(r)::add));
        body.put("buyer_payout_address", buyerPayoutAddress).put("vendor_payout_address", vendorPayoutAddress);
        body.set("payout", payout == null ? JSON.nullNode() : payout.deepCopy());
        return new Reply(200, body);
    }

    synchronized Reply putPayout(String role, JsonNode body) {
        if (!nextPayoutPut.isEmpty()) {
            return nextPayoutPut.poll();
        }
        String kind = body.path("kind").asText();
        if (payout != null) {
            return StubEscrowService.problem(409, "payout-in-progress", "a " + payout.path("kind").asText() + " exists");
        }
        txset = body.path("multisig_txset").asText();
        payout = JSON.createObjectNode().put("kind", kind).put("state", "AWAITING_SIGNATURE").put("epoch", epoch)
                .put("builder", role).put("signer", other(role))
                .put("address", kind.equals("release") ? vendorPayoutAddress : buyerPayoutAddress).put("amount", 999_000L)
                .put("fee", 1_000L).put("since", "2026-01-01T00:00:00Z").put("deadline", "2026-01-01T01:00:00Z").put("overdue", false);
        payout.putArray("waiting_for").add(other(role));
        payout.putArray("tx_hashes");
        notifyAll();
        return new Reply(202, payout.deepCopy());
    }

    synchronized Reply fetchPayout(String role, int waitSeconds) {
        if (!nextPayoutGet.isEmpty()) {
            return nextPayoutGet.poll();
        }
        long deadline = System.currentTimeMillis() + waitSeconds * 1000L;
        while (payout == null && System.currentTimeMillis() < deadline) {
            try {
                wait(Math.max(1, deadline - System.currentTimeMillis()));
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (payout == null) {
            return new Reply(200, JSON.createObjectNode().put("state", "NONE"));
        }
        ObjectNode task = payout.deepCopy();
        if (role.equals(task.path("signer").asText()) && task.path("state").asText().equals("AWAITING_SIGNATURE")) {
            task.put("multisig_txset", txset);
        }
        return new Reply(200, task);
    }

    /** Outside the monitor: a held request must not stop the other calls. */
    Reply heldSubmitted() {
        java.util.concurrent.CountDownLatch hold = holdSubmitted;
        if (hold == null) {
            return null;
        }
        submittedArrived.countDown();
        try {
            hold.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return StubEscrowService.problem(503, "unavailable", "the report never arrived");
    }

    synchronized Reply putSubmitted(JsonNode body) {
        if (!nextSubmitted.isEmpty()) {
            return nextSubmitted.poll();
        }
        payout.put("state", "PAID");
        payout.set("tx_hashes", body.path("tx_hashes").deepCopy());
        status = "RELEASED";
        return new Reply(200, payout.deepCopy());
    }

    private Reply notCurrent(int e) {
        Reply reply = StubEscrowService.problem(409, "epoch-not-current", "epoch " + e + " is not the current one");
        ((ObjectNode) reply.body()).put("current_epoch", epoch);
        return reply;
    }

    private static String other(String role) {
        return role.equals("buyer") ? "vendor" : "buyer";
    }
}
