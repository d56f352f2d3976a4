package dev.escrowstack.escrow.setup;

import dev.escrowstack.telemetry.Role;

/** Where a setup stopped: which round, which wallet (role), which operation, and what the wallet said. */
public class SetupFailed extends RuntimeException {

    private final int round;
    private final Role role;
    private final String operation;
    private final int gatewayStatus;
    private final Integer walletErrorCode;
    private boolean timedOut;
    private String problemType;
    private SetupJournal journal;

    public SetupFailed(int round, Role role, String operation, int gatewayStatus, Integer walletErrorCode, String message) {
        super(message);
        this.round = round;
        this.role = role;
        this.operation = operation;
        this.gatewayStatus = gatewayStatus;
        this.walletErrorCode = walletErrorCode;
    }

    public int round() {
        return round;
    }

    public Role role() {
        return role;
    }

    public String operation() {
        return operation;
    }

    /** The gateway's HTTP status (0: unreachable or timed out here). */
    public int gatewayStatus() {
        return gatewayStatus;
    }

    public Integer walletErrorCode() {
        return walletErrorCode;
    }

    /** A call that did not finish within its round's deadline (the round stops waiting for the others). */
    SetupFailed timedOut(boolean value) {
        this.timedOut = value;
        return this;
    }

    public boolean timedOut() {
        return timedOut;
    }

    /** The gateway problem's type (e.g. {@code wallet-process-crashed}), without its URN prefix; null when none came. */
    public String problemType() {
        return problemType;
    }

    SetupFailed problemType(String type) {
        this.problemType = type;
        return this;
    }

    /** The setup's calls and snapshots up to the failure, for the analyzer's diagnosis. */
    SetupFailed with(SetupJournal journal) {
        this.journal = journal;
        return this;
    }

    /** Null when the failure came before any wallet call (e.g. a unit test's own SetupFailed). */
    public SetupJournal journal() {
        return journal;
    }
}
