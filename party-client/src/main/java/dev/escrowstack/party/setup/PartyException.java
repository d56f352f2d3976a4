package dev.escrowstack.party.setup;

/** Why a run stopped, already in words for the person at the terminal, with the CLI's exit status. */
public final class PartyException extends RuntimeException {

    /** The escrow FAILED (the service's summary follows). */
    public static final int FAILED = 1;
    /** A funds step refused: by the service (a stale party, a refused transaction set) or by this client's own check. */
    public static final int REFUSED = 1;
    /** Wallet, token, service or state-file trouble. */
    public static final int ERROR = 3;
    /** The others did not come within --wait-seconds; rerunning the same command continues. */
    public static final int TIMED_OUT = 4;

    private final int exitCode;

    public PartyException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
