package dev.escrowstack.escrow.partypayout;

import java.util.List;

import dev.escrowstack.escrow.persistence.Escrow;
import dev.escrowstack.problem.ProblemException;

/** A non-custodial payout's refusals, as problems that say who must do what. */
final class PayoutProblems {

    private PayoutProblems() {
    }

    static ProblemException epochNotCurrent(String escrowId, int epoch, Integer current) {
        return new ProblemException(409, "epoch-not-current", "Not the current sync epoch", "epoch " + epoch + " is not the one being"
                + " synced" + (current == null ? "" : "; export again for epoch " + current + " (escrow-party sync does)"))
                .with("escrow_id", escrowId).with("epoch", epoch).with("current_epoch", current);
    }

    static ProblemException noFunds(Escrow e) {
        return new ProblemException(409, "escrow-state-conflict", "Not possible in this state", "escrow " + e.id + " is " + e.status
                + ": multisig infos are synced for a payout of a FUNDED or DISPUTED escrow").with("escrow_id", e.id)
                .with("escrow_status", e.status.name());
    }

    static ProblemException infoDiffers(String escrowId, String role, int epoch, String stored, String sent) {
        return new ProblemException(409, "info-differs", "A different info for this epoch", "the " + role + " already sent epoch "
                + epoch + "'s multisig info (sha256 " + stored.substring(0, 12) + "…, this one " + sent.substring(0, 12) + "…): the"
                + " first one counts, and a second export makes the first one's data stale").with("escrow_id", escrowId)
                .with("role", role).with("epoch", epoch).with("submitted_sha256", stored).with("sent_sha256", sent);
    }

    static ProblemException badInfo(String detail) {
        return ProblemException.badRequest(detail).with("field", "info");
    }

    /** Who has not imported the epoch's infos: said before anyone signs, not by sign_multisig's -35 afterwards. */
    static ProblemException stale(String escrowId, int epoch, List<String> roles, String what) {
        return new ProblemException(409, "stale-multisig-data", "Stale multisig data", "the " + String.join(" and the ", roles)
                + " ha" + (roles.size() == 1 ? "s" : "ve") + " not imported epoch " + epoch + "'s multisig infos, so " + what
                + " would be made on stale data (sign_multisig: -35). Each must export_multisig_info, import the others' and report"
                + " it: escrow-party sync").with("escrow_id", escrowId).with("epoch", epoch).with("stale_roles", roles);
    }

    static ProblemException refused(String escrowId, String sender, String reason, int newEpoch) {
        return new ProblemException(422, "txset-refused", "Transaction set refused", "the " + sender + "'s transaction set was"
                + " refused before anyone signed it: " + reason + ". Nothing was passed on; everyone syncs epoch " + newEpoch
                + " and the builder builds again").with("escrow_id", escrowId).with("role", sender).with("reason", reason)
                .with("epoch", newEpoch);
    }

    static ProblemException notTheBuilder(String escrowId, String role, String kind, String builder) {
        return new ProblemException(403, "not-the-builder", "Not the builder", "a " + kind + " is built by the " + builder
                + " and signed by the other party; the " + role + " signs it (escrow-party sign)").with("escrow_id", escrowId)
                .with("role", role);
    }

    static ProblemException notTheSigner(String escrowId, String role, String signer) {
        return new ProblemException(403, "not-the-signer", "Not the signer", "the payout of escrow " + escrowId + " awaits the "
                + signer + "'s signature, not the " + role + "'s").with("escrow_id", escrowId).with("role", role);
    }

    static ProblemException addressMissing(String escrowId, String payee) {
        return new ProblemException(409, "payout-address-missing", "Payout address missing", "the " + payee + " has no payout address:"
                + " PUT /api/escrow/" + escrowId + "/payout-addresses with " + payee + "_payout_address").with("escrow_id", escrowId)
                .with("role", payee);
    }

    static ProblemException wrongState(Escrow e, String what) {
        if (e.status == dev.escrowstack.escrow.persistence.EscrowStatus.PAYOUT_PENDING) {
            return new ProblemException(409, "payout-in-progress", "Payout in progress", "a " + e.payoutKind.operation() + " of escrow "
                    + e.id + " awaits the " + e.payoutSigner + "'s signature; an escrow pays out once").with("escrow_id", e.id)
                    .with("escrow_status", e.status.name());
        }
        if (e.paidAt != null) {
            return new ProblemException(409, "already-paid-out", "Already paid out", "escrow " + e.id + " is " + e.status + " (tx "
                    + e.payoutTxHashes + "); an escrow pays out once").with("escrow_id", e.id).with("escrow_status", e.status.name());
        }
        return new ProblemException(409, "escrow-state-conflict", "Not possible in this state", what + " is not possible: escrow "
                + e.id + " is " + e.status).with("escrow_id", e.id).with("escrow_status", e.status.name());
    }
}
