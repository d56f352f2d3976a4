package dev.escrowstack.party.funds;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What this party did with the escrow's funds, kept on its own machine between runs ({@code <escrow>-<role>-funds.json},
 * 0600, beside the setup's file). The exports and transaction sets are kept because a second export of an epoch differs
 * from the first (the service keeps the first: 409) and a wallet does not sign twice with one epoch's nonces; they are
 * never printed.
 */
public final class FundsState {
    public String escrowId;
    public String role;
    /** Epoch → this wallet's export_multisig_info of it, as sent. */
    public Map<Integer, String> exports = new TreeMap<>();
    /** Epoch → what this wallet imported in it. */
    public Map<Integer, Imported> imports = new TreeMap<>();
    /** The transaction set this party built (release, refund), until the service has it. */
    public Built built;
    /** The transaction this party signed and submitted (sign). */
    public Signed signed;

    /** import_multisig_info's answer for an epoch, and whether the service was told. */
    public static final class Imported {
        public List<String> from = new ArrayList<>();
        public int nOutputs;
        public boolean reported;
    }

    /** sweep_all's transaction set for a payout, saved before it is sent so a rerun sends the same one. */
    public static final class Built {
        public String kind;
        public int epoch;
        public String multisigTxset;
        public boolean accepted;
    }

    /**
     * A payout this party signs: the set's hash (which payout), the signed set (saved before submit_multisig, so a rerun
     * submits that very transaction and never signs again) and the hashes (saved before they are reported).
     */
    public static final class Signed {
        public String kind;
        public int epoch;
        public String txsetSha256;
        public String signedTxDataHex;
        public List<String> txHashes = new ArrayList<>();
        public boolean reported;
    }

    static FundsState fresh(String escrowId, String role) {
        FundsState state = new FundsState();
        state.escrowId = escrowId;
        state.role = role;
        return state;
    }
}
