package dev.escrowstack.escrow.it;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.escrowstack.testsupport.WalletRpcProcesses;

/**
 * The README's first command and the skill's curl loop, exactly: ./stack up, three concurrent
 * inits, status, down, up again (nothing lost), down.
 */
class StackLauncherIT {

    @TempDir
    Path home;

    StackRunner stack;

    @AfterEach
    void cleanUp() throws Exception {
        stack.stack("down");
        for (long pid : WalletRpcProcesses.under(home)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    @Test
    void upThenTheSkillsThreeConcurrentCurlsGiveThreeReadyEscrowsThatSurviveARestart() throws Exception {
        stack = new StackRunner(home);
        int escrowPort = stack.isolate(home, 18600, "stack-it");
        StackRunner.Result up = stack.stack("up");
        assertEquals(0, up.exit(), up.output());
        assertTrue(up.output().contains("http://127.0.0.1:" + escrowPort), up.output());

        StackRunner.Result curls = stack.shell(StackRunner.skillLoop(escrowPort));
        List<String> ready = find(curls.output(), "\"status\":\"READY\"");
        assertEquals(3, ready.size(), curls.output());
        Set<String> addresses = new HashSet<>(find(curls.output(), "\"multisig_address\":\"([^\"]+)\""));
        assertEquals(3, addresses.size(), curls.output());
        assertEquals(9, WalletRpcProcesses.under(home).size(), "the launcher's pool of 9 runs");

        StackRunner.Result status = stack.stack("status");
        assertTrue(status.output().contains("escrow-service") && status.output().contains("wallet-gateway"), status.output());
        assertFalse(status.output().contains("stopped"), status.output());

        assertEquals(0, stack.stack("down").exit());
        assertEquals(List.of(), WalletRpcProcesses.under(home), "down leaves no wallet-rpc behind");
        assertTrue(stack.stack("status").output().contains("stopped"));

        // Nothing is lost on a restart.
        assertEquals(0, stack.stack("up").exit());
        StackRunner.Result list = stack.shell("curl -s 'http://localhost:" + escrowPort + "/api/escrow?status=READY'");
        for (String address : addresses) {
            assertTrue(list.output().contains(address), list.output());
        }
        String secrets = Files.readString(home.resolve("secrets.env"));
        String walletSecret = secrets.lines().filter(l -> l.startsWith("GATEWAY_WALLET_SECRET=")).findFirst().orElseThrow()
                .substring("GATEWAY_WALLET_SECRET=".length());
        for (String log : List.of("wallet-gateway.log", "escrow-service.log")) {
            assertFalse(Files.readString(home.resolve("logs").resolve(log)).contains(walletSecret), "secret in " + log);
        }
    }

    private static List<String> find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.groupCount() > 0 ? m.group(1) : m.group());
        }
        return found;
    }

}
