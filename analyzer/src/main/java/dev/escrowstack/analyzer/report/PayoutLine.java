package dev.escrowstack.analyzer.report;

import dev.escrowstack.analyzer.diagnosis.Texts;
import dev.escrowstack.analyzer.model.Event;

/**
 * A PARTY_PAYOUT event on one line: {@code step=txset epoch=2 release outcome=REFUSED txset=7a7a… pays=d1d1… expected=e2e2… ❌
 * reason="…"}. Hashes shortened as in the findings; only the fields the step has.
 */
final class PayoutLine {

    private PayoutLine() {
    }

    static void append(StringBuilder b, Event e) {
        b.append(" step=").append(e.text("step"));
        if (e.number("epoch") != null) {
            b.append(" epoch=").append(e.number("epoch"));
        }
        field(b, "payout", e.text("operation"));
        field(b, "outcome", e.text("outcome"));
        field(b, "stale", e.text("stale_roles"));
        field(b, "signer", e.text("signer"));
        field(b, "since", e.text("since"));
        field(b, "deadline", e.text("deadline"));
        if (e.text("txset_sha256") != null) {
            b.append(" txset=").append(Texts.shortHash(e.text("txset_sha256")));
        }
        if (e.text("destination_sha256") != null) {
            b.append(" pays=").append(Texts.shortHash(e.text("destination_sha256")));
        }
        if (e.text("expected_sha256") != null) {
            b.append(" expected=").append(Texts.shortHash(e.text("expected_sha256")));
        }
        if (Boolean.FALSE.equals(e.flag("success"))) {
            b.append(" ❌");
        }
        quoted(b, "reason", e.text("reason"));
        if (e.text("error") != null && !e.text("error").equals(e.text("reason"))) {
            quoted(b, "error", e.text("error"));
        }
    }

    private static void quoted(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(' ').append(name).append("=\"").append(value).append('"');
        }
    }

    private static void field(StringBuilder b, String name, String value) {
        if (value != null) {
            b.append(' ').append(name).append('=').append(value);
        }
    }
}
