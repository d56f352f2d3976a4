package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.gateway.process.WalletProcess;

/**
 * Decides which free processes a request gets. Opening a wallet costs monero-wallet-rpc 2–5 s, so the
 * planner sends work where it is cheapest: a new wallet to a process holding a warm spare, an existing
 * wallet to the process where it is parked (still open since its last lease), everything else to an
 * empty process before displacing a parked wallet or, last, a spare.
 */
final class SlotPlanner {

    /** What the dispatcher does with a waiter. */
    sealed interface Plan {
    }

    record Granted(Map<Role, Waiter.Slot> slots) implements Plan {
    }

    /** Not enough free processes: the waiter and everyone behind it wait (first come, first served). */
    record NoCapacity() implements Plan {
    }

    /** A wallet it wants is held by a lease or parked in a process that is restarting; others may go first. */
    record WalletBusy() implements Plan {
    }

    private SlotPlanner() {
    }

    static Plan plan(LeaseRequest request, List<WalletProcess> processes, Set<Integer> assigned, Set<String> walletsHeld) {
        if (request.wallets().values().stream().flatMap(Optional::stream).anyMatch(walletsHeld::contains)) {
            return new WalletBusy();
        }
        List<WalletProcess> free = new ArrayList<>(processes.stream()
                .filter(p -> p.healthy() && !assigned.contains(p.index())).toList());
        if (free.size() < request.wallets().size()) {
            return new NoCapacity();
        }
        Map<Role, Waiter.Slot> slots = new EnumMap<>(Role.class);
        for (Map.Entry<Role, Optional<String>> want : request.wallets().entrySet()) {
            Optional<WalletProcess> home = want.getValue().flatMap(id -> parkedIn(processes, id));
            if (home.isPresent()) {
                // Its files are in that process's directory: only that process can serve it.
                if (!free.remove(home.get())) {
                    return new WalletBusy();
                }
                slots.put(want.getKey(), new Waiter.Slot(want.getKey(), home.get(), want.getValue()));
            }
        }
        for (Map.Entry<Role, Optional<String>> want : request.wallets().entrySet()) {
            if (slots.containsKey(want.getKey())) {
                continue;
            }
            boolean fresh = want.getValue().isEmpty();
            free.sort(Comparator.comparingInt(p -> cost(p, fresh)));
            slots.put(want.getKey(), new Waiter.Slot(want.getKey(), free.remove(0), want.getValue()));
        }
        return new Granted(slots);
    }

    /** The free process an existing wallet is parked in, if any. */
    static Optional<WalletProcess> parkedIn(List<WalletProcess> processes, String walletId) {
        return processes.stream()
                .filter(p -> p.openWallet().map(w -> !w.spare() && w.walletId().equals(walletId)).orElse(false))
                .findFirst();
    }

    /** Lower is cheaper. A spare is precious to new wallets and cheap to keep; a parked wallet may be wanted again. */
    private static int cost(WalletProcess process, boolean freshWallet) {
        Optional<OpenWallet> open = process.openWallet();
        if (open.isEmpty()) {
            return 1;
        }
        if (open.get().spare()) {
            return freshWallet ? 0 : 3;
        }
        return 2;
    }
}
