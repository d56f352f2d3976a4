package dev.escrowstack.party.mailbox;

import java.util.List;
import java.util.Map;

/**
 * The party's funds calls to escrow-service (custody "parties" after funding): the sync epochs' exchange of multisig
 * infos, and the payout a party builds or signs. All party-scoped ({@code /parties/{role}/…}), through the same
 * {@link Mailbox} transport, so each is a span with a traceparent and a refusal is a {@link MailboxException}.
 */
public final class FundsMailbox {

    /** The longest a long-poll asks the service to hold a GET (it caps ?wait= itself). */
    public static final int LONG_POLL_SECONDS = 30;

    private final Mailbox mailbox;
    private final String party;

    public FundsMailbox(Mailbox mailbox) {
        this.mailbox = mailbox;
        this.party = "/parties/" + mailbox.role();
    }

    /** GET …/funds: status, current epoch, who exported and imported, the payout addresses, the payout. */
    public FundsView funds() {
        return FundsView.of(mailbox.send("funds", "GET", party + "/funds", null, 30).body());
    }

    /** PUT sync/{epoch}: true when the service took this export now (201), false when it had this very one (200). */
    public boolean submitExport(int epoch, String info) {
        return mailbox.send("submit_export", "PUT", party + "/sync/" + epoch, Map.of("info", info), 60).status() == 201;
    }

    /** GET sync/{epoch}?wait=: waits up to {@code waitSeconds} for the epoch to be complete for this party. */
    public SyncView fetchSync(int epoch, int waitSeconds) {
        return SyncView.of(mailbox.send("fetch_sync", "GET", party + "/sync/" + epoch + "?wait=" + waitSeconds, null,
                waitSeconds + 30).body());
    }

    /** PUT sync/{epoch}/imported: this party imported the infos of {@code from} (n_outputs as import_multisig_info said). */
    public void submitImported(int epoch, int nOutputs, List<String> from) {
        mailbox.send("submit_imported", "PUT", party + "/sync/" + epoch + "/imported", Map.of("n_outputs", nOutputs, "from", from), 60);
    }

    /** PUT payout: the builder's transaction set; the service answers with the PayoutTask (AWAITING_SIGNATURE). */
    public PayoutTask submitPayout(String kind, String multisigTxset) {
        return PayoutTask.of(mailbox.send("submit_payout", "PUT", party + "/payout",
                Map.of("kind", kind, "multisig_txset", multisigTxset), 120).body());
    }

    /** GET payout?wait=: the PayoutTask, with the transaction set when it is this party's turn to sign; null when none. */
    public PayoutTask fetchPayout(int waitSeconds) {
        return PayoutTask.of(mailbox.send("fetch_payout", "GET", party + "/payout?wait=" + waitSeconds, null, waitSeconds + 30).body());
    }

    /** PUT payout/submitted: the signer sent the transaction; PAID when the arbiter's wallet has seen it, else SUBMITTED. */
    public PayoutTask submitTxHashes(List<String> txHashes) {
        return PayoutTask.of(mailbox.send("submit_tx_hashes", "PUT", party + "/payout/submitted", Map.of("tx_hashes", txHashes), 60)
                .body());
    }
}
