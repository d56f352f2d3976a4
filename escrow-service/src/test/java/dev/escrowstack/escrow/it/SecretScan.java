package dev.escrowstack.escrow.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import dev.escrowstack.telemetry.Hashes;

/**
 * After a run: no raw multisig info, wallet secret, gateway API or ingest token, escrow API token or signing key in
 * anything the stack wrote outside the wallet files themselves (their own encrypted storage), secrets.env and jwt/:
 * logs, escrow_<id>.json files, the escrow database's files, the fencing log, and the spans a collector got
 * (CollectorSink writes them under the home). Files are read as bytes, so the binary database files and protobuf
 * spans count.
 */
final class SecretScan {

    record Result(int files, long escrowFiles, List<String> leaks) {
    }

    private SecretScan() {
    }

    /** {@code home}: the stack's STACK_HOME, where ./stack up also ran (the escrow files are there). */
    static Result of(Path home) throws IOException {
        List<String> secrets = new ArrayList<>();
        for (String line : Files.readAllLines(home.resolve("secrets.env"))) {
            secrets.add(line.substring(line.indexOf('=') + 1));
        }
        // The escrow API's local signing key (a line of its base64 body is enough to find a copy) and its tokens.
        Path jwt = home.resolve("jwt");
        if (Files.isDirectory(jwt)) {
            try (Stream<Path> files = Files.list(jwt)) {
                for (Path f : files.toList()) {
                    List<String> lines = Files.readAllLines(f);
                    if (f.getFileName().toString().endsWith(".jwt")) {
                        secrets.add(lines.get(0).trim());
                    } else if (f.getFileName().toString().equals("private.pem")) {
                        secrets.add(lines.get(1).trim());
                    }
                }
            }
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(home)) {
            files = all.filter(Files::isRegularFile).filter(f -> !isWalletStorage(home.relativize(f))).toList();
        }
        List<String> leaks = new ArrayList<>();
        for (Path f : files) {
            String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
            if (Hashes.rawMultisigInfoAt(text) >= 0) {
                leaks.add("multisig info in " + home.relativize(f));
            }
            for (String s : secrets) {
                if (s.length() >= 16 && text.contains(s)) {
                    leaks.add("a secret of secrets.env in " + home.relativize(f));
                }
            }
        }
        long escrowFiles = files.stream().filter(f -> f.getFileName().toString().matches("escrow_.+\\.json")).count();
        return new Result(files.size(), escrowFiles, leaks);
    }

    /** The wallets (encrypted with their passwords) and secrets.env hold keys by design; nothing else may. */
    private static boolean isWalletStorage(Path relative) {
        String p = relative.toString();
        return p.equals("secrets.env") || p.startsWith("jwt/") || (p.startsWith("data/wallet-gateway") && !p.contains("fencing")) || p.startsWith("data/faucet")
                || p.startsWith("data/monerod");
    }
}
