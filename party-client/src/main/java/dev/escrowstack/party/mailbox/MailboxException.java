package dev.escrowstack.party.mailbox;

/** A mailbox call escrow-service refused (or could not be reached for): the HTTP status and the problem's type and detail. */
public final class MailboxException extends RuntimeException {

    private final int status;
    private final String type;

    public MailboxException(String call, int status, String type, String detail) {
        super(call + ": " + (status == 0 ? "" : "HTTP " + status + (type == null ? "" : " " + type) + ": ") + detail);
        this.status = status;
        this.type = type;
    }

    /** 0 when the service did not answer. */
    public int status() {
        return status;
    }

    /** The problem type's last part ({@code info-differs}, {@code round-not-open}, {@code setup-ended}, …) or null. */
    public String type() {
        return type;
    }

    public boolean is(int status, String type) {
        return this.status == status && type.equals(this.type);
    }
}
