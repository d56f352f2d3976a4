package dev.escrowstack.escrow.problems;

import java.time.Duration;
import java.util.Map;

import dev.escrowstack.analyzer.diagnosis.Texts;
import dev.escrowstack.problem.ProblemException;

/**
 * The escrow API's errors, in one place. Every layer throws them (the resources, the service, funds and
 * payout), so they depend on nothing of the service: only http-problems, and the analyzer's {@code Texts} so
 * that a setup failure's detail ends its sentences as the diagnosis does.
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

    /**
     * 502: a wallet (through the gateway) failed. {@code round}, {@code role}, {@code operation} say where it
     * surfaced; {@code surfaced} (every wallet that failed) and {@code root_cause} (pattern, wallet at fault,
     * round, state before, evidence, fix) are the analyzer's diagnosis, as in the escrow view and the files.
     */
    public static ProblemException setupFailed(String escrowId, Integer round, String role, String operation, Integer walletErrorCode,
            String error, Map<String, Object> surfaced, Map<String, Object> rootCause) {
        String where = surfaced != null && surfaced.get("summary") != null ? String.valueOf(surfaced.get("summary"))
                : "round " + round + ", " + role + " wallet, " + operation + ": " + error;
        String why = rootCause == null ? "" : " Root cause: " + rootCause.get("title") + " — " + rootCause.get("cause");
        return new ProblemException(502, "multisig-setup-failed", "Multisig setup failed", Texts.sentence(where) + why)
                .with("escrow_id", escrowId)
                .with("round", round)
                .with("role", role)
                .with("operation", operation)
                .with("wallet_rpc_error_code", walletErrorCode)
                .with("surfaced", surfaced)
                .with("root_cause", rootCause);
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
