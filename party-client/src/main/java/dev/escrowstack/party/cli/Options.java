package dev.escrowstack.party.cli;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The command and its options, parsed and checked; secrets are read from files (or the environment), never from the command line. */
record Options(String command, URI service, String escrowId, String role, String token, URI walletRpc, String rpcLogin,
        String walletPassword, Path stateDir, int waitSeconds, boolean waitGiven, String payoutAddress, URI otlpEndpoint,
        Map<String, String> otlpHeaders) {

    static final List<String> COMMANDS = List.of("join", "sync", "release", "refund", "sign");

    static final String USAGE = """
            usage: escrow-party join|sync|release|refund|sign
                                     --service URL --escrow ESCROW_ID --role buyer|vendor
                                     (--token-file FILE | env ESCROW_PARTY_TOKEN)
                                     --wallet-rpc http://127.0.0.1:PORT/json_rpc
                                     [--rpc-login-file FILE] [--wallet-password-file FILE]
                                     [--state-dir DIR] [--wait-seconds N] [--payout-address ADDR (sign)]
                                     [--otlp-endpoint URL [--otlp-header KEY=VALUE ...]]

            A buyer's or vendor's part in a non-custodial escrow (custody "parties", docs/parties.md) with a wallet
            already open in your own monero-wallet-rpc. Progress goes to stderr. Interrupted? Run the same command
            again: it continues where it stopped.

              join      the 2-of-3 setup: prepare_multisig, make_multisig and two exchange_multisig_keys, each round's
                        info swapped with the other two parties through escrow-service; the address on stdout
              sync      after funding: export_multisig_info for the service's current epoch, wait for the others'
                        exports, import_multisig_info them, report it
              release   the vendor: sync, then sweep_all to the vendor's recorded payout address and hand the
                        transaction set to the service for the buyer to sign; with --wait-seconds, wait until PAID
                        and print the tx hashes
              refund    the buyer: the same, to the buyer's recorded payout address, for the vendor to sign
              sign      the signer (buyer on a release, vendor on a refund, a dispute's winner): sync if needed, wait
                        for the transaction set, check with your own wallet that it pays exactly the payee's address
                        and keeps no change, sign_multisig, submit_multisig; the tx hashes on stdout

              --service URL               escrow-service, e.g. http://127.0.0.1:8080
              --escrow ESCROW_ID          the escrow the marketplace created with "custody": "parties"
              --role buyer|vendor         the role your token is for
              --token-file FILE           your party token (or the environment variable ESCROW_PARTY_TOKEN)
              --wallet-rpc URL            your monero-wallet-rpc's JSON-RPC URL, a wallet open in it
              --rpc-login-file FILE       user:password of its --rpc-login (HTTP digest)
              --wallet-password-file FILE the open wallet's password, if it has one
              --state-dir DIR             where progress is kept between runs (default ~/.escrow-party; files 0600)
              --wait-seconds N            how long to wait for the others (default 900; release/refund wait for
                                          PAID only when it is given)
              --payout-address ADDR       sign: the address the payout must pay (default: the payee's recorded one)
              --otlp-endpoint URL         export one span per wallet and mailbox call, OTLP/HTTP JSON,
                                          e.g. http://127.0.0.1:4318/v1/traces (off by default)
              --otlp-header KEY=VALUE     a header on each export, e.g. an ingest token (repeatable)

            exit status: 0 done (join: READY), 1 the escrow FAILED or a payout refused (by the service, or sign's
            own check), 2 bad usage, 3 error (wallet, token, service, state), 4 still waiting after --wait-seconds
            (run again to continue)
            """;

    static Options parse(String[] args, Map<String, String> env) {
        if (args.length == 0 || !COMMANDS.contains(args[0])) {
            throw new UsageException(args.length == 0 ? "a command is needed" : "unknown command: " + args[0]);
        }
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new UsageException(name.startsWith("--") ? name + " needs a value" : "unexpected argument: " + name);
            }
            String value = args[++i];
            if (name.equals("--otlp-header")) {
                int eq = value.indexOf('=');
                if (eq <= 0) {
                    throw new UsageException("--otlp-header wants KEY=VALUE");
                }
                headers.put(value.substring(0, eq), value.substring(eq + 1));
            } else if (values.put(name, value) != null) {
                throw new UsageException(name + " given twice");
            }
        }
        String command = args[0];
        String role = required(values, "--role");
        if (!role.equals("buyer") && !role.equals("vendor")) {
            throw new UsageException("--role is buyer or vendor (the arbiter's wallet is the service's)");
        }
        if (command.equals("release") && !role.equals("vendor") || command.equals("refund") && !role.equals("buyer")) {
            throw new UsageException(command + " is built by the " + (command.equals("release") ? "vendor" : "buyer")
                    + " (the " + role + " signs it: escrow-party sign)");
        }
        String payoutAddress = values.remove("--payout-address");
        if (payoutAddress != null && !command.equals("sign")) {
            throw new UsageException("--payout-address is for sign");
        }
        String token = values.containsKey("--token-file") ? read(values.remove("--token-file"), "--token-file")
                : env.get("ESCROW_PARTY_TOKEN");
        if (token == null || token.isBlank()) {
            throw new UsageException("the party token is needed: --token-file FILE or ESCROW_PARTY_TOKEN");
        }
        String login = values.containsKey("--rpc-login-file") ? read(values.remove("--rpc-login-file"), "--rpc-login-file") : null;
        if (login != null && !login.contains(":")) {
            throw new UsageException("--rpc-login-file holds user:password");
        }
        String password = values.containsKey("--wallet-password-file")
                ? read(values.remove("--wallet-password-file"), "--wallet-password-file") : null;
        Path stateDir = Path.of(values.containsKey("--state-dir") ? values.remove("--state-dir")
                : System.getProperty("user.home") + "/.escrow-party");
        int wait;
        boolean waitGiven = values.containsKey("--wait-seconds");
        try {
            wait = Integer.parseInt(values.getOrDefault("--wait-seconds", "900"));
            values.remove("--wait-seconds");
        } catch (NumberFormatException e) {
            throw new UsageException("--wait-seconds wants a number of seconds");
        }
        String otlp = values.remove("--otlp-endpoint");
        if (otlp == null && !headers.isEmpty()) {
            throw new UsageException("--otlp-header without --otlp-endpoint");
        }
        Options options = new Options(command, url(required(values, "--service"), "--service"), required(values, "--escrow"),
                role, token.strip(), url(required(values, "--wallet-rpc"), "--wallet-rpc"), login == null ? null : login.strip(),
                password == null ? null : password.strip(), stateDir, Math.max(1, wait), waitGiven,
                payoutAddress == null ? null : payoutAddress.strip(), otlp == null ? null : url(otlp, "--otlp-endpoint"), headers);
        if (!values.isEmpty()) {
            throw new UsageException("unknown option: " + values.keySet().iterator().next());
        }
        return options;
    }

    private static String required(Map<String, String> values, String name) {
        String value = values.remove(name);
        if (value == null) {
            throw new UsageException(name + " is needed");
        }
        return value;
    }

    private static URI url(String value, String name) {
        try {
            URI uri = URI.create(value);
            if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getHost() == null) {
                throw new IllegalArgumentException();
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new UsageException(name + " wants an http(s) URL, not " + value);
        }
    }

    private static String read(String file, String name) {
        try {
            return Files.readString(Path.of(file));
        } catch (IOException e) {
            throw new UsageException(name + ": cannot read " + file + " (" + e.getMessage() + ")");
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }
}
