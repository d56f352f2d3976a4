package dev.escrowstack.escrow.service;

import java.time.Instant;
import java.util.Map;

/**
 * A custodial setup attempt given up after a fault whose outcome is unknown: which attempt, what fault, where
 * (round, operation, the wallet whose call it hit) and the attempt's three wallets, which are never handed
 * out as new again (the gateway files a leased wallet with the used ones, whatever became of it).
 */
public record AbandonedAttempt(int attempt, String fault, Integer round, String role, String operation, String walletId,
        Map<String, String> wallets, String reason, Instant at) {
}
