package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;
import dev.escrowstack.telemetry.EventTypes;

/**
 * Pattern C: a wallet received infos that are not the other two participants' infos of the previous
 * step (from the SHA-256 hashes on each make/exchange call), or the wallets report different
 * address_hash at a snapshot point where all are multisig.
 */
final class StateDivergence {

    /** Which step's outputs each step consumes: make ← prepare, exchange round 2 ← make, round 3 ← round 2. */
    private record Step(String method, int round) {
        String label() {
            return method + (method.equals("exchange_multisig_keys") ? " (round " + round + ")" : "");
        }
    }

    private static final Map<Step, Step> INPUT_OF = Map.of(
            new Step("make_multisig", 1), new Step("prepare_multisig", 1),
            new Step("exchange_multisig_keys", 2), new Step("make_multisig", 1),
            new Step("exchange_multisig_keys", 3), new Step("exchange_multisig_keys", 2));

    private static final Map<String, Integer> ROUND_OF_POINT = Map.of(
            EventTypes.SNAPSHOT_POST_MAKE_MULTISIG, 1, EventTypes.SNAPSHOT_PRE_ROUND2, 1,
            EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, 2, EventTypes.SNAPSHOT_PRE_ROUND3, 2,
            EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG, 3, EventTypes.SNAPSHOT_FINAL, 3);

    private static final Map<String, String> OPERATION_BEFORE_POINT = Map.of(
            EventTypes.SNAPSHOT_POST_MAKE_MULTISIG, "make_multisig", EventTypes.SNAPSHOT_PRE_ROUND2, "make_multisig",
            EventTypes.SNAPSHOT_POST_EXPORT_MULTISIG, "exchange_multisig_keys", EventTypes.SNAPSHOT_PRE_ROUND3, "exchange_multisig_keys",
            EventTypes.SNAPSHOT_POST_IMPORT_MULTISIG, "exchange_multisig_keys", EventTypes.SNAPSHOT_FINAL, "exchange_multisig_keys");

    private StateDivergence() {
    }

    static Optional<Finding> find(EscrowFile file, List<RpcCall> calls, FailurePoint failure) {
        List<String> evidence = new ArrayList<>();
        RpcCall wrongInputs = wrongInputs(calls, evidence);
        Divergence address = addresses(file, evidence);
        if (wrongInputs == null && address == null) {
            return Optional.empty();
        }
        String role = wrongInputs != null ? wrongInputs.role() : address.roles().get(0);
        int round = wrongInputs != null ? wrongInputs.round() : address.round();
        int index = wrongInputs != null ? wrongInputs.endIndex() : address.snapshot().index();
        Event before = wrongInputs != null ? FailurePoint.snapshotBefore(file, role, index) : address.snapshot();
        String walletId = wrongInputs != null && wrongInputs.walletId() != null ? wrongInputs.walletId()
                : before == null ? null : before.text("wallet_id");
        String cause = wrongInputs != null
                ? "The " + role + " wallet" + (walletId == null ? "" : " (" + walletId + ")") + " was sent the wrong infos at " + wrongInputs.method() + " (round " + round + "): "
                        + evidence.get(0) + ". Its keys diverged from the other two wallets'"
                        + (failure == null ? "." : ", which surfaced as " + surfaced(failure) + ".")
                : "The wallets disagree on the multisig address at " + address.snapshot().type() + ": the " + String.join(" and ",
                        address.roles()) + " wallet" + (address.roles().size() == 1 ? " differs" : "s differ") + " from the others ("
                        + evidence.get(evidence.size() - 1) + "), so " + (address.roles().size() == 1 ? "it" : "they")
                        + " did not get the infos the others got in round " + address.round()
                        + (failure == null ? "." : "; it surfaced as " + surfaced(failure) + ".");
        return Optional.of(new Finding(Pattern.C, file.escrowId(), role, walletId,
                wrongInputs != null ? wrongInputs.port() : before == null ? null : before.rpcPort(), round,
                wrongInputs != null ? wrongInputs.method() : OPERATION_BEFORE_POINT.get(address.snapshot().type()),
                // The error of the call at fault, not of the later one where it surfaced (Diagnosis.surfaced has that).
                wrongInputs != null && !wrongInputs.success() ? wrongInputs.error() : null, before == null ? null : before.type(),
                FailurePoint.state(before), evidence,
                cause, Texts.FIX_C, Texts.WHY_C, List.of()));
    }

    private static String surfaced(FailurePoint f) {
        return (f.operation() == null ? "a failure" : f.operation()) + (f.role() == null ? "" : " on the " + f.role() + " wallet")
                + (f.round() == null ? "" : " in round " + f.round()) + (f.error() == null ? "" : " (\"" + f.error() + "\")");
    }

    /** The first call whose input hashes are not exactly the other participants' outputs of the step before. */
    private static RpcCall wrongInputs(List<RpcCall> calls, List<String> evidence) {
        Map<Step, Map<String, String>> outputs = new HashMap<>();
        Map<String, String> producerOf = new HashMap<>();
        for (RpcCall c : calls) {
            if (c.success() && c.outputHash() != null && c.role() != null) {
                Step step = new Step(c.method(), c.round());
                outputs.computeIfAbsent(step, s -> new LinkedHashMap<>()).put(c.role(), c.outputHash());
                producerOf.putIfAbsent(c.outputHash(), "the " + c.role() + "'s " + step.label() + " info");
            }
        }
        for (RpcCall c : calls) {
            Step source = INPUT_OF.get(new Step(c.method(), c.round()));
            Map<String, String> produced = source == null ? null : outputs.get(source);
            if (c.inputHashes().isEmpty() || produced == null || c.role() == null || produced.size() < 3) {
                continue; // not every participant's output is known: nothing to compare with
            }
            Map<String, String> expected = new LinkedHashMap<>(produced);
            String own = expected.remove(c.role());
            List<String> missing = expected.entrySet().stream().filter(e -> !c.inputHashes().contains(e.getValue()))
                    .map(e -> "the " + e.getKey() + "'s").toList();
            List<String> unexpected = c.inputHashes().stream().filter(h -> !expected.containsValue(h))
                    .map(h -> h.equals(own) ? "its own info" : producerOf.getOrDefault(h,
                            "an info no participant of this escrow produced (sha256 " + Texts.shortHash(h) + ")"))
                    .toList();
            boolean duplicate = c.inputHashes().size() != c.inputHashes().stream().distinct().count();
            if (!missing.isEmpty() || !unexpected.isEmpty() || duplicate) {
                evidence.add("the " + c.role() + " wallet's " + new Step(c.method(), c.round()).label() + " got "
                        + (unexpected.isEmpty() ? "a repeated info" : String.join(" and ", unexpected))
                        + (missing.isEmpty() ? "" : " instead of " + String.join(" and ", missing) + " " + source.label() + " info"));
                evidence.add("received sha256 " + hashes(c.inputHashes()) + "; the other participants produced "
                        + expected.entrySet().stream().map(e -> e.getKey() + " " + Texts.shortHash(e.getValue()))
                                .collect(Collectors.joining(", ")));
                return c;
            }
        }
        return null;
    }

    private record Divergence(Event snapshot, int round, List<String> roles) {
    }

    /** The first snapshot point, after make_multisig, where the multisig wallets report different address_hash. */
    private static Divergence addresses(EscrowFile file, List<String> evidence) {
        Map<String, Map<String, Event>> byPoint = new LinkedHashMap<>();
        for (Event e : file.events()) {
            if (e.isSnapshot() && !e.is(EventTypes.SNAPSHOT_PRE_ROUND1) && e.role() != null && e.text("address_hash") != null
                    && !e.text("address_hash").isEmpty()) {
                byPoint.computeIfAbsent(e.type(), p -> new LinkedHashMap<>()).put(e.role(), e);
            }
        }
        for (Map.Entry<String, Map<String, Event>> point : byPoint.entrySet()) {
            Collection<Event> snaps = point.getValue().values();
            if (snaps.size() < 2 || snaps.stream().anyMatch(s -> Boolean.FALSE.equals(s.multisig()))) {
                continue; // a wallet that is not multisig yet has its own address: nothing to compare
            }
            Map<String, Long> votes = snaps.stream().collect(Collectors.groupingBy(s -> s.text("address_hash"), Collectors.counting()));
            if (votes.size() < 2) {
                continue;
            }
            long top = votes.values().stream().max(Long::compare).orElse(0L);
            String majority = votes.entrySet().stream().filter(v -> v.getValue() == top).count() == 1
                    ? votes.entrySet().stream().filter(v -> v.getValue() == top).findFirst().get().getKey() : null;
            List<String> deviant = snaps.stream().filter(s -> !s.text("address_hash").equals(majority)).map(Event::role).toList();
            evidence.add(snaps.stream().map(s -> s.role() + ".address_hash: " + Texts.shortHash(s.text("address_hash"))
                    + (deviant.contains(s.role()) ? " ❌" : "")).collect(Collectors.joining(", ")) + " at " + point.getKey());
            Event first = snaps.stream().filter(s -> deviant.contains(s.role())).findFirst().orElseThrow();
            return new Divergence(first, ROUND_OF_POINT.getOrDefault(point.getKey(), 0), deviant);
        }
        return null;
    }

    private static String hashes(List<String> hashes) {
        return hashes.stream().map(Texts::shortHash).collect(Collectors.joining(", ", "[", "]"));
    }
}
