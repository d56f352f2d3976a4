package dev.escrowstack.analyzer.cli;

import java.util.ArrayList;
import java.util.List;

/** The command line: the skill's flags, plus --diagnose and --json. */
record Options(boolean timeline, boolean rpcOnly, boolean snapshotsOnly, boolean errorsOnly, boolean diagnoseOnly, boolean json,
        boolean compare, boolean help, List<String> inputs) {

    static final String USAGE = """
            usage: analyze-escrow [options] FILE|GLOB|DIR ...
              (no option)        summary and diagnosis of each escrow, then what the files show together
              --timeline         every event, in time order; rounds 1-3 and the final verification, each where it ended
              --rpc-only         wallet RPC calls and per-method statistics
              --snapshots-only   the wallet-state snapshots (ENABLE_INSTRUMENTATION=1), ❌ where one is wrong or disagrees
              --errors-only      failed calls, final errors, cache pollution
              --diagnose         only the diagnosis: which wallet, which round, state before, why, fix
              --compare A B      event-type distribution of two escrows, their first divergence, what it left out and why
              --json             the same, as JSON
            A DIR means its escrow_*.json files; quote a GLOB to let the analyzer expand it.
            Several files are also diagnosed together: a race on a shared wallet-rpc (Pattern B) shows only across files.
            exit status: 0 no problem found, 1 a problem found (or the compared escrows diverge), 2 bad usage, 3 unreadable file,
            4 out of memory (ANALYZER_JAVA_OPTS=-Xmx2g)
            """;

    static Options parse(String[] args) throws UsageException {
        boolean timeline = false, rpc = false, snapshots = false, errors = false, diagnose = false, json = false, compare = false;
        boolean help = false;
        List<String> inputs = new ArrayList<>();
        for (String a : args) {
            switch (a) {
                case "--timeline" -> timeline = true;
                case "--rpc-only" -> rpc = true;
                case "--snapshots-only" -> snapshots = true;
                case "--errors-only" -> errors = true;
                case "--diagnose" -> diagnose = true;
                case "--json" -> json = true;
                case "--compare" -> compare = true;
                case "-h", "--help" -> help = true;
                default -> {
                    if (a.startsWith("-")) {
                        throw new UsageException("unknown option " + a);
                    }
                    inputs.add(a);
                }
            }
        }
        int views = (timeline ? 1 : 0) + (rpc ? 1 : 0) + (snapshots ? 1 : 0) + (errors ? 1 : 0) + (diagnose ? 1 : 0) + (compare ? 1 : 0);
        if (views > 1) {
            throw new UsageException("choose one of --timeline, --rpc-only, --snapshots-only, --errors-only, --diagnose, --compare");
        }
        if (!help && inputs.isEmpty()) {
            throw new UsageException("no escrow file given");
        }
        return new Options(timeline, rpc, snapshots, errors, diagnose, json, compare, help, List.copyOf(inputs));
    }

    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
