package dev.escrowstack.party.cli;

import dev.escrowstack.party.funds.FundsCommand;
import dev.escrowstack.party.mailbox.FundsMailbox;
import dev.escrowstack.party.mailbox.Mailbox;
import dev.escrowstack.party.mailbox.MailboxException;
import dev.escrowstack.party.setup.PartyException;
import dev.escrowstack.party.setup.PartySetup;
import dev.escrowstack.party.setup.StateStore;
import dev.escrowstack.party.trace.OtlpExporter;
import dev.escrowstack.party.trace.Tracer;
import dev.escrowstack.party.wallet.WalletRpc;
import dev.escrowstack.party.wallet.WalletRpcException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** {@code escrow-party join|sync|release|refund|sign …}: see {@link Options#USAGE}. */
public final class PartyCli {

    public static final int USAGE = 2;

    private PartyCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** The whole CLI, streams and environment given, so tests run it in-process. */
    public static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length > 0 && (args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help"))) {
            out.print(Options.USAGE);
            return 0;
        }
        Options options;
        try {
            options = Options.parse(args, env);
        } catch (Options.UsageException e) {
            err.println("escrow-party: " + e.getMessage());
            err.print(Options.USAGE);
            return USAGE;
        }
        Tracer tracer = options.otlpEndpoint() == null ? Tracer.off()
                : Tracer.exportingTo(new OtlpExporter(options.otlpEndpoint(), options.otlpHeaders(), err));
        WalletRpc wallet = new WalletRpc(options.walletRpc(), options.rpcLogin(), tracer);
        Mailbox mailbox = new Mailbox(options.service(), options.escrowId(), options.role(), options.token(), tracer);
        Duration maxWait = Duration.ofSeconds(options.waitSeconds());
        // Ctrl-C or a kill: what was done so far still reaches the collector (the state file is saved step by step anyway).
        Thread flushOnExit = new Thread(tracer::flush, "escrow-party-span-flush");
        Runtime.getRuntime().addShutdownHook(flushOnExit);
        try {
            if (options.command().equals("join")) {
                out.println(new PartySetup(options.escrowId(), options.role(), wallet, mailbox,
                        new StateStore(options.stateDir(), options.escrowId(), options.role()), options.walletPassword(), maxWait,
                        tracer, err).run());
                return 0;
            }
            FundsCommand funds = new FundsCommand(options.escrowId(), options.role(), wallet, new FundsMailbox(mailbox),
                    new StateStore(options.stateDir(), options.escrowId(), options.role(), "-funds"), maxWait, tracer, err);
            List<String> lines = switch (options.command()) {
                case "sync" -> funds.sync();
                case "release", "refund" -> funds.build(options.command(), options.waitGiven());
                case "sign" -> funds.sign(options.payoutAddress());
                default -> throw new IllegalStateException(options.command());
            };
            lines.forEach(out::println);
            return 0;
        } catch (PartyException e) {
            err.println("escrow-party: " + e.getMessage());
            return e.exitCode();
        } catch (WalletRpcException | MailboxException | UncheckedIOException e) {
            err.println("escrow-party: " + e.getMessage());
            return PartyException.ERROR;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(flushOnExit);
            } catch (IllegalStateException exiting) {
                // already shutting down: the hook runs
            }
        }
    }
}
