package dev.escrowstack.gateway.process;

/** The wallet a process has open: a warm spare, or a wallet some lease holds. */
public record OpenWallet(String walletId, boolean spare) {
}
