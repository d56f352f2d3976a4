package dev.escrowstack.gateway.lease;

import dev.escrowstack.telemetry.Role;
import dev.escrowstack.gateway.process.WalletProcess;

/** One role of a lease: the wallet and the process that has it open. */
public final class LeasedWallet {

    private final Role role;
    private final String walletId;
    private final WalletProcess process;
    private final boolean created;
    private volatile String unavailable;

    LeasedWallet(Role role, String walletId, WalletProcess process, boolean created) {
        this.role = role;
        this.walletId = walletId;
        this.process = process;
        this.created = created;
    }

    public Role role() {
        return role;
    }

    public String walletId() {
        return walletId;
    }

    public WalletProcess process() {
        return process;
    }

    /** True when the lease asked for a new wallet. */
    public boolean created() {
        return created;
    }

    /** Why the wallet cannot be used any more (its process restarted and the wallet did not reopen), or null. */
    public String unavailable() {
        return unavailable;
    }

    void unavailable(String reason) {
        this.unavailable = reason;
    }
}
