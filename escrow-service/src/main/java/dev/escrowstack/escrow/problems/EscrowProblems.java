package dev.escrowstack.escrow.problems;

import java.time.Duration;

import dev.escrowstack.problem.ProblemException;

/**
 * The escrow API's errors, in one place. Every layer throws them (the resources, the service, funds and
 * payout), so they depend on nothing of the service but http-problems.
 */
public final class EscrowProblems {

    /** A PostgreSQL restart, crash recovery included, takes seconds. */
    private static final Duration DATABASE_RETRY_AFTER = Duration.ofSeconds(5);

    private EscrowProblems() {
    }

    public static ProblemException notFound(String id) {
        return new ProblemException(404, "escrow-not-found", "Escrow not found", "no escrow '" + id + "'").with("escrow_id", id);
    }

    public static ProblemException field(String field, String detail) {
        return ProblemException.badRequest(field + ": " + detail).with("field", field);
    }

    public static ProblemException keyReused(String escrowId) {
        return new ProblemException(422, "idempotency-key-reused", "Idempotency-Key reused",
                "this Idempotency-Key was first used with a different request (escrow " + escrowId + ")")
                .with("escrow_id", escrowId);
    }

    public static ProblemException busy(String escrowId, String detail, Duration retryAfter) {
        return new ProblemException(503, "no-wallets-available", "No wallets available",
                detail + "; retry later (the same Idempotency-Key starts a fresh attempt)")
                .with("escrow_id", escrowId).retryAfter(retryAfter);
    }

    /** 502: a wallet (through the gateway) failed; the body names the round, the wallet and the operation. */
    public static ProblemException setupFailed(String escrowId, int round, String role, String operation, Integer walletErrorCode,
            String error) {
        return new ProblemException(502, "multisig-setup-failed", "Multisig setup failed",
                "round " + round + ", " + role + " wallet, " + operation + ": " + error)
                .with("escrow_id", escrowId)
                .with("round", round)
                .with("role", role)
                .with("operation", operation)
                .with("wallet_rpc_error_code", walletErrorCode);
    }

    /**
     * 503 while the database is unreachable (down, restarting, recovering): the request was not carried out,
     * or its outcome could not be recorded; either way a retry after a few seconds is the remedy.
     */
    public static ProblemException databaseUnavailable() {
        return new ProblemException(503, "database-unavailable", "Database unavailable",
                "the escrow database is unreachable (restarting or down); retry after Retry-After seconds")
                .retryAfter(DATABASE_RETRY_AFTER);
    }

    public static ProblemException leaseFailed(String escrowId, String detail) {
        return new ProblemException(502, "wallet-gateway-failed", "wallet-gateway failed", detail).with("escrow_id", escrowId);
    }
}
