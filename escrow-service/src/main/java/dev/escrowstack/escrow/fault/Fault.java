package dev.escrowstack.escrow.fault;

/**
 * The failure patterns of the instrumentation skill, reproduced on purpose on real monero-wallet-rpc
 * so the analyzer's diagnosis is proven on real failures (ESCROW_FAULT=cache-pollution|wrong-infos).
 */
public enum Fault {
    /** Pattern A: the buyer slot of a setup gets a wallet an earlier escrow already made multisig. */
    CACHE_POLLUTION,
    /** Pattern C: at make_multisig the arbiter is sent its own round-1 info in place of the vendor's. */
    WRONG_INFOS
}
