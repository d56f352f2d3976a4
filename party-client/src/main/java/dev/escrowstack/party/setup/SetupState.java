package dev.escrowstack.party.setup;

import java.util.Map;
import java.util.TreeMap;

/**
 * What this party has done for one escrow, kept on its own machine between runs. {@code infos} are the party's own
 * round infos (key material: the file is 0600 and they are never printed); {@code address} is the multisig address.
 */
public final class SetupState {
    public String escrowId;
    public String role;
    public Step step = Step.NONE;
    public Map<Integer, String> infos = new TreeMap<>();
    public String address;
    /** The wallet's own (not yet multisig) primary address, public: a resumed run checks it still drives that wallet. */
    public String walletAddress;

    static SetupState fresh(String escrowId, String role) {
        SetupState state = new SetupState();
        state.escrowId = escrowId;
        state.role = role;
        return state;
    }
}
