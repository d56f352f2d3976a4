package dev.escrowstack.escrow.security;

/**
 * Who may call what, as the {@code groups} claim of the caller's JWT names it. A marketplace runs its escrows
 * (open, read, payout addresses, release, refund, dispute); an arbiter settles disputes (resolve, read); an
 * operator looks across all escrows (the list).
 */
public final class EscrowRoles {

    public static final String MARKETPLACE = "marketplace";
    public static final String ARBITER = "arbiter";
    public static final String OPERATOR = "operator";

    private EscrowRoles() {
    }
}
