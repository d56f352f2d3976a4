package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;

/**
 * Diagnoses escrows, each on its own and all of them together (Pattern B shows only across files).
 * Findings are ordered by how much they explain: a shared instance (B) causes both "already multisig"
 * errors and wrong infos, so it comes before A, and A before C.
 */
public final class Diagnoser {

    private Diagnoser() {
    }

    public static List<Diagnosis> diagnose(List<EscrowFile> files) {
        return diagnose(files, files.stream().map(Calls::of).toList());
    }

    /** With each file's calls already joined ({@link Calls#of}), for callers that show them too. */
    public static List<Diagnosis> diagnose(List<EscrowFile> files, List<List<RpcCall>> callsOfEach) {
        // The failure patterns are read on each setup's last attempt: an abandoned one is a HEALED finding (Attempts).
        Map<String, List<RpcCall>> calls = new LinkedHashMap<>();
        List<EscrowFile> lastAttempts = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            EscrowFile last = Attempts.last(files.get(i));
            lastAttempts.add(last);
            calls.put(files.get(i).escrowId(), Attempts.last(files.get(i), callsOfEach.get(i)));
        }
        Map<String, SharedInstanceRace.Race> races = SharedInstanceRace.find(lastAttempts, calls);
        WalletHistory history = new WalletHistory(files);
        List<Diagnosis> result = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            EscrowFile file = lastAttempts.get(i);
            List<RpcCall> mine = calls.get(file.escrowId());
            FailurePoint failure = FailurePoint.of(file, mine);
            Surfaced surfaced = Surfaced.of(failure, mine);
            List<Finding> findings = new ArrayList<>();
            SharedInstanceRace.Race race = races.get(file.escrowId());
            if (race != null) {
                findings.add(SharedInstanceRace.finding(file, race, failure, surfaced));
            }
            CachePollution.find(file, mine, failure, history).ifPresent(findings::add);
            StateDivergence.find(file, mine, failure).ifPresent(findings::add);
            findings.addAll(PartyFindings.find(file));
            findings.addAll(PartyPayouts.problems(file));
            if (findings.isEmpty() && failure != null) {
                findings.add(unexplained(file, failure));
            }
            findings.addAll(Attempts.healed(files.get(i), callsOfEach.get(i)));
            findings.addAll(PartyPayouts.healed(file));
            result.add(new Diagnosis(file.escrowId(), file.source(), file.status(), surfaced, List.copyOf(findings)));
        }
        return result;
    }

    public static Diagnosis diagnose(EscrowFile file) {
        return diagnose(List.of(file)).get(0);
    }

    private static Finding unexplained(EscrowFile file, FailurePoint f) {
        Event before = FailurePoint.snapshotBefore(file, f.role(), f.index());
        String error = f.error() == null ? "" : f.error();
        String fix;
        String why;
        if (error.contains("exited") || error.contains("crashed") || error.contains("restart")) {
            fix = "Retry the escrow: wallet-gateway restarts the process and reopens its wallet; if it recurs, read the"
                    + " wallet-rpc log (wallet-gateway keeps one per process) for the reason it died.";
            why = "The process serving the wallet died mid-call, so the call's effect is unknown: a new setup on fresh wallets is"
                    + " the safe way on.";
        } else if (error.contains("no free wallets") || error.contains("pool")) {
            fix = "Give wallet-gateway a larger pool (GATEWAY_POOL_SIZE) or fewer concurrent escrows; the lease wait is bounded"
                    + " on purpose.";
            why = "Every escrow needs three wallets at once; when the pool stays full the lease times out instead of deadlocking.";
        } else if (error.contains("did not finish") || error.contains("timed out")) {
            fix = "Look at the wallet-rpc call durations in --rpc-only: a slow machine needs a longer round timeout"
                    + " (ESCROW_SETUP_ROUND_TIMEOUT).";
            why = "A round has a deadline so a hung wallet cannot hold an escrow forever.";
        } else {
            fix = "Read the timeline around event #" + f.index() + " (--timeline) and the service logs for this trace id.";
            why = "The files show where it failed but none of the known patterns explains why.";
        }
        return new Finding(Pattern.UNEXPLAINED, file.escrowId(), f.role(), f.walletId(), f.port(), f.round(), f.operation(), f.error(),
                before == null ? null : before.type(), FailurePoint.state(before), List.of(), "The " + f.role() + " wallet failed at "
                        + f.operation() + (f.round() == null ? "" : " in round " + f.round()) + ": " + error, fix, why, List.of());
    }
}
