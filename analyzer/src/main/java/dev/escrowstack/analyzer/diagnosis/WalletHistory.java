package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.escrowstack.analyzer.model.EscrowFile;
import dev.escrowstack.analyzer.model.Event;

/**
 * Which escrows used which wallet, across the files read together: Pattern A's wallet came from an
 * earlier escrow, and when that escrow's file is in the input it is named, not guessed at.
 */
final class WalletHistory {

    /** {@code failed}: that escrow's setup failed, so it is not where a multisig wallet came from when another one is. */
    private record Use(String escrowId, long start, boolean failed) {
    }

    private final Map<String, List<Use>> uses = new HashMap<>();

    WalletHistory(List<EscrowFile> files) {
        for (EscrowFile file : files) {
            file.events().stream().map(e -> e.text("wallet_id")).filter(id -> id != null && !id.isEmpty()).distinct()
                    .forEach(id -> uses.computeIfAbsent(id, k -> new ArrayList<>())
                            .add(new Use(file.escrowId(), file.start(), "FAILED".equals(file.status()))));
        }
        uses.values().forEach(list -> list.sort(Comparator.comparingLong(Use::start)));
    }

    /**
     * The escrow that had {@code walletId} before {@code file}: the one its events name
     * ({@code previous_escrow_id} on its events or in ERROR_FINAL's root_cause, written by the service that
     * handed the wallet out), else the latest other file that used the wallet, started earlier and did not fail
     * (the setup that left the wallet multisig: concurrent escrows handed the same polluted wallet all fail with
     * it, and none of them is its source), else the latest earlier one, else null.
     */
    String previousUser(EscrowFile file, String walletId) {
        for (Event e : file.events()) {
            if (walletId != null && walletId.equals(e.text("wallet_id")) && e.text("previous_escrow_id") != null) {
                return e.text("previous_escrow_id");
            }
            // escrow-service's ERROR_FINAL says where the wallet came from when its records know it.
            Map<String, Object> rootCause = e.map("root_cause");
            if (walletId != null && walletId.equals(rootCause.get("wallet_id")) && rootCause.get("previous_escrow_id") != null) {
                return String.valueOf(rootCause.get("previous_escrow_id"));
            }
        }
        String previous = null;
        String previousNotFailed = null;
        for (Use use : uses.getOrDefault(walletId, List.of())) {
            if (!use.escrowId().equals(file.escrowId()) && use.start() <= file.start()) {
                previous = use.escrowId();
                previousNotFailed = use.failed() ? previousNotFailed : use.escrowId();
            }
        }
        return previousNotFailed != null ? previousNotFailed : previous;
    }
}
