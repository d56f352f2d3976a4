package dev.escrowstack.party.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad usage answers with exit status 2, the reason and the usage; secrets come from files or the environment only. */
class OptionsTest {

    private static final String[] JOIN = {"join", "--service", "http://127.0.0.1:8080", "--escrow", "E1", "--role", "buyer",
            "--wallet-rpc", "http://127.0.0.1:18083/json_rpc"};

    @Test
    void theTokenComesFromTheEnvironmentWhenNoFileIsGiven() {
        Options options = Options.parse(JOIN, Map.of("ESCROW_PARTY_TOKEN", "tok\n"));
        assertEquals("tok", options.token());
        assertEquals(900, options.waitSeconds());
        assertEquals(null, options.otlpEndpoint());
        assertTrue(options.stateDir().endsWith(".escrow-party"));
    }

    @Test
    void withoutATokenTheUsageIsShown() {
        assertUsage("the party token is needed", JOIN);
    }

    @Test
    void theArbitersRoleIsNotAParty() {
        String[] args = JOIN.clone();
        args[6] = "arbiter";
        assertUsage("--role is buyer or vendor", args);
    }

    @Test
    void unknownOptionsAndCommandsAreRefused() {
        assertUsage("unknown command: start", "start");
        String[] args = java.util.Arrays.copyOf(JOIN, JOIN.length + 2);
        args[JOIN.length] = "--token";
        args[JOIN.length + 1] = "secret";
        assertUsage("unknown option: --token", args);
    }

    @Test
    void releaseIsTheVendorsRefundTheBuyersAndOnlySignTakesAPayoutAddress() {
        String[] release = JOIN.clone();
        release[0] = "release";
        assertUsage("release is built by the vendor (the buyer signs it: escrow-party sign)", release);
        String[] sync = java.util.Arrays.copyOf(JOIN, JOIN.length + 2);
        sync[0] = "sync";
        sync[JOIN.length] = "--payout-address";
        sync[JOIN.length + 1] = "5Abc";
        assertUsage("--payout-address is for sign", sync);
        String[] sign = sync.clone();
        sign[0] = "sign";
        Options options = Options.parse(sign, Map.of("ESCROW_PARTY_TOKEN", "t"));
        assertEquals("5Abc", options.payoutAddress());
        assertEquals(false, options.waitGiven());
    }

    private static void assertUsage(String reason, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = PartyCli.run(args, args.length > 0 && args[args.length - 1].equals("secret") ? Map.of("ESCROW_PARTY_TOKEN", "t") : Map.of(),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        String text = err.toString(StandardCharsets.UTF_8);
        assertEquals(PartyCli.USAGE, exit, text);
        assertTrue(text.contains(reason), text);
        assertTrue(text.contains("usage: escrow-party join"), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }
}
