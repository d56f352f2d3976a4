package dev.escrowstack.analyzer.diagnosis;

import java.util.ArrayList;
import java.util.List;

import dev.escrowstack.analyzer.model.EscrowFile;

/**
 * A transaction set the service refused ({@code txset} steps with outcome REFUSED), usually because it pays
 * another address than the recorded payout address. It stays a finding even when a later set went through: a
 * client that built a set paying elsewhere is compromised or misconfigured, whatever happened next.
 */
final class RefusedTxSet {

    static final String WHY = "The service compares the set's destination with the payout address it recorded before anyone"
            + " signs, and the signer checks it again with describe_transfer: a set that pays elsewhere is never signed. Monero"
            + " multisig needs fresh infos for each new set, so the refusal opens a new epoch that everyone syncs before the next.";

    private RefusedTxSet() {
    }

    static List<Finding> find(EscrowFile file, List<PayoutStep> steps) {
        List<Finding> findings = new ArrayList<>();
        for (PayoutStep s : steps) {
            if (s.refusedTxSet()) {
                findings.add(finding(file, s));
            }
        }
        return findings;
    }

    private static Finding finding(EscrowFile file, PayoutStep s) {
        String sender = s.role() == null ? "a party" : s.role();
        String payee = PayoutFindings.payee(s.operation(), sender);
        boolean otherAddress = s.destinationSha256() != null && s.expectedSha256() != null
                && !s.destinationSha256().equals(s.expectedSha256());
        String set = "a transaction set" + (s.txsetSha256() == null ? "" : " (sha256 " + Texts.shortHash(s.txsetSha256()) + ")");
        String cause = "The " + sender + " sent " + set + (otherAddress ? " that pays another address (sha256 "
                + Texts.shortHash(s.destinationSha256()) + ") than the " + payee + "'s recorded payout address (sha256 "
                + Texts.shortHash(s.expectedSha256()) + ")" : " that was refused" + (s.reason() == null ? "" : ": " + s.reason()))
                + "; the " + s.kind() + " was refused at epoch " + s.epoch() + " before anyone signed";
        List<String> evidence = new ArrayList<>();
        evidence.add(PayoutFindings.at(file, s.event()) + " " + s.kind() + " transaction set from the " + sender + " refused"
                + (s.reason() == null ? "" : ": " + s.reason()));
        if (s.destinationSha256() != null || s.expectedSha256() != null) {
            evidence.add("pays sha256 " + Texts.shortHash(s.destinationSha256()) + "; the " + payee + "'s recorded payout address is sha256 "
                    + Texts.shortHash(s.expectedSha256()) + (otherAddress ? " ❌" : ""));
        }
        String fix = "Check the " + sender + "'s client and wallet before it builds again: a set that pays elsewhere comes from a"
                + " compromised or misconfigured client (another wallet's address, a stale address book). Then everyone syncs the new"
                + " epoch (export, import, report imported), and the " + sender + " builds again with tools/escrow-party, whose"
                + " sweep_all pays the " + payee + "'s recorded payout address from …/funds.";
        return PayoutFindings.finding(Pattern.TXSET_REFUSED, file, s.role(), s, s.error() == null ? s.reason() : s.error(), evidence,
                cause, fix, WHY);
    }
}
