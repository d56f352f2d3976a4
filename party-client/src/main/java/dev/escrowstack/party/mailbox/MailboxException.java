package dev.escrowstack.party.mailbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** A mailbox call escrow-service refused (or could not be reached for): the HTTP status and the problem's type and detail. */
public final class MailboxException extends RuntimeException {

    private final int status;
    private final String type;
    private final JsonNode problem;

    public MailboxException(String call, int status, String type, String detail) {
        this(call, status, type, detail, JsonNodeFactory.instance.objectNode());
    }

    /** {@code problem}: the whole problem+json body, whose extension members some refusals need (stale_roles, epoch, …). */
    public MailboxException(String call, int status, String type, String detail, JsonNode problem) {
        super(call + ": " + (status == 0 ? "" : "HTTP " + status + (type == null ? "" : " " + type) + ": ") + detail);
        this.status = status;
        this.type = type;
        this.problem = problem;
    }

    /** 0 when the service did not answer. */
    public int status() {
        return status;
    }

    /** The problem type's last part ({@code info-differs}, {@code round-not-open}, {@code setup-ended}, …) or null. */
    public String type() {
        return type;
    }

    /** An extension member of the problem ({@code current_epoch}, {@code stale_roles}, {@code reason}, …): missing node if absent. */
    public JsonNode field(String name) {
        return problem.path(name);
    }

    public boolean is(int status, String type) {
        return this.status == status && type.equals(this.type);
    }
}
