package dev.escrowstack.analyzer.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.escrowstack.analyzer.diagnosis.Calls;
import dev.escrowstack.analyzer.diagnosis.Diagnoser;
import dev.escrowstack.analyzer.diagnosis.Diagnosis;
import dev.escrowstack.analyzer.diagnosis.RpcCall;
import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.EventReader;
import dev.escrowstack.analyzer.report.Comparison;
import dev.escrowstack.analyzer.report.JsonReport;
import dev.escrowstack.analyzer.report.SnapshotChecks;
import dev.escrowstack.analyzer.report.TextReport;

/** The analyzer's command line (tools/analyze-escrow, tools/analyze_escrow_json.py). */
public final class AnalyzerCli {

    static final int OK = 0;
    static final int PROBLEM = 1;
    static final int USAGE = 2;
    static final int UNREADABLE = 3;
    static final int INTERNAL = 4;

    private final PrintStream out;
    private final PrintStream err;

    AnalyzerCli(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        PrintStream out = new PrintStream(System.out, false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(System.err, true, StandardCharsets.UTF_8);
        int status;
        try {
            status = new AnalyzerCli(out, err).run(args);
        } catch (OutOfMemoryError e) {
            // Not "a problem found" (1): say what happened and how to go on.
            err.println("analyze-escrow: out of memory; give it more heap, e.g. ANALYZER_JAVA_OPTS=-Xmx2g, or fewer files at once");
            status = INTERNAL;
        }
        out.flush();
        System.exit(status);
    }

    int run(String[] args) {
        Options options;
        List<EscrowFile> files = new ArrayList<>();
        try {
            options = Options.parse(args);
            if (options.help()) {
                out.print(Options.USAGE);
                return OK;
            }
            for (Path p : Inputs.expand(options.inputs())) {
                files.add(EventReader.read(p));
            }
            if (options.compare() && files.size() != 2) {
                throw new Options.UsageException("--compare takes exactly two files, got " + files.size());
            }
        } catch (Options.UsageException e) {
            err.println("analyze-escrow: " + e.getMessage());
            err.print(Options.USAGE);
            return USAGE;
        } catch (IOException e) {
            err.println("analyze-escrow: cannot read " + describe(e));
            return UNREADABLE;
        }
        return options.compare() ? compare(options, files) : analyze(options, files);
    }

    private int compare(Options options, List<EscrowFile> files) {
        Comparison c = Comparison.of(files.get(0), files.get(1));
        if (options.json()) {
            print(JsonReport.comparison(c));
        } else {
            new TextReport(out).comparison(c);
        }
        return c.divergenceIndex() == null ? OK : PROBLEM;
    }

    private int analyze(Options o, List<EscrowFile> files) {
        List<List<RpcCall>> calls = files.stream().map(Calls::of).toList();
        List<Diagnosis> diagnoses = Diagnoser.diagnose(files, calls);
        boolean problem = diagnoses.stream().anyMatch(Diagnosis::failed);
        if (o.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("escrows", JsonReport.all(files, calls, diagnoses));
            doc.put("summary", summary(diagnoses));
            print(doc);
            return problem ? PROBLEM : OK;
        }
        TextReport report = new TextReport(out);
        SnapshotChecks checks = SnapshotChecks.of(files);
        for (int i = 0; i < files.size(); i++) {
            EscrowFile f = files.get(i);
            report.header(f);
            if (o.timeline()) {
                report.timeline(f, checks);
            } else if (o.rpcOnly()) {
                report.rpc(f, calls.get(i));
            } else if (o.snapshotsOnly()) {
                report.snapshots(f, checks);
            } else if (o.errorsOnly()) {
                report.errors(f);
            } else if (o.diagnoseOnly()) {
                report.diagnosis(diagnoses.get(i), calls.get(i).size());
            } else {
                report.summary(f, calls.get(i));
                report.diagnosis(diagnoses.get(i), calls.get(i).size());
            }
            out.println();
        }
        if (files.size() > 1 && (o.diagnoseOnly() || !(o.timeline() || o.rpcOnly() || o.snapshotsOnly() || o.errorsOnly()))) {
            Map<String, Object> s = summary(diagnoses);
            long healed = (long) s.get("healed");
            out.println("=== " + files.size() + " escrows === " + s.get("clean") + " clean" + (healed == 0 ? "" : ", " + healed + " healed")
                    + "; problems: " + s.get("by_pattern"));
        }
        return problem ? PROBLEM : OK;
    }

    private static Map<String, Object> summary(List<Diagnosis> diagnoses) {
        Map<String, Integer> byPattern = new TreeMap<>();
        diagnoses.stream().filter(Diagnosis::failed).forEach(d -> byPattern.merge(d.primary().pattern().name(), 1, Integer::sum));
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("escrows", diagnoses.size());
        s.put("clean", diagnoses.stream().filter(Diagnosis::clean).count());
        s.put("healed", diagnoses.stream().filter(Diagnosis::healed).count());
        s.put("by_pattern", byPattern);
        return s;
    }

    private void print(Object doc) {
        try {
            out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String describe(IOException e) {
        return e instanceof java.nio.file.NoSuchFileException n ? n.getFile() + ": no such file" : e.getMessage();
    }
}
