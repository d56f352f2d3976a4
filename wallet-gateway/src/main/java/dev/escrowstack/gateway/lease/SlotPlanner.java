package dev.escrowstack.gateway.lease;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

import dev.escrowstack.gateway.lease.Grant.Placement;
import dev.escrowstack.gateway.process.OpenWallet;
import dev.escrowstack.telemetry.Role;

/**
 * Decides which free processes a request gets. Opening a wallet costs monero-wallet-rpc 2–5 s, so the
 * planner sends work where it is cheapest: a new wallet to a process holding a warm spare, an existing
 * wallet to the process where it is parked (still open since its last lease), everything else to an
 * empty process before displacing a parked wallet or a spare and, last, a wallet kept parked because it
 * is leased again soon (see {@link SlotBook#free}).
 */
final class SlotPlanner {

    /** What the dispatcher does with a waiter. */
    sealed interface Plan {
    }

    record Granted(Map<Role, Placement> placements) implements Plan {
    }

    /** Not enough free processes: the waiter and everyone behind it wait (first come, first served). */
    record NoCapacity() implements Plan {
    }

    /** A wallet it wants is held by a lease or parked in a process that is restarting; others may go first. */
    record WalletBusy() implements Plan {
    }

    private SlotPlanner() {
    }

    /** {@code kept}: processes whose parked wallet is kept there, to be displaced last. */
    static Plan plan(LeaseRequest request, List<ProcessView> processes, IntPredicate free, Predicate<String> walletHeld,
            Predicate<ProcessView> kept) {
        if (request.wallets().values().stream().flatMap(Optional::stream).anyMatch(walletHeld)) {
            return new WalletBusy();
        }
        List<ProcessView> available = new ArrayList<>(processes.stream()
                .filter(p -> p.healthy() && free.test(p.index())).toList());
        if (available.size() < request.wallets().size()) {
            return new NoCapacity();
        }
        Map<Role, Placement> placements = new EnumMap<>(Role.class);
        for (Map.Entry<Role, Optional<String>> want : request.wallets().entrySet()) {
            Optional<ProcessView> home = want.getValue().flatMap(id -> parkedIn(processes, id));
            if (home.isPresent()) {
                // Its files are in that process's directory: only that process can serve it.
                if (!available.remove(home.get())) {
                    return new WalletBusy();
                }
                placements.put(want.getKey(), new Placement(want.getKey(), home.get().index(), want.getValue()));
            }
        }
        for (Map.Entry<Role, Optional<String>> want : request.wallets().entrySet()) {
            if (placements.containsKey(want.getKey())) {
                continue;
            }
            boolean fresh = want.getValue().isEmpty();
            available.sort(Comparator.comparingInt(p -> kept.test(p) ? 4 : cost(p, fresh)));
            placements.put(want.getKey(), new Placement(want.getKey(), available.remove(0).index(), want.getValue()));
        }
        return new Granted(placements);
    }

    /** The process an existing wallet is parked in, if any. */
    static Optional<ProcessView> parkedIn(List<ProcessView> processes, String walletId) {
        return processes.stream().filter(p -> p.parks(walletId)).findFirst();
    }

    /** Lower is cheaper. A spare is precious to new wallets and cheap to keep; a parked wallet may be wanted again. */
    private static int cost(ProcessView process, boolean freshWallet) {
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
