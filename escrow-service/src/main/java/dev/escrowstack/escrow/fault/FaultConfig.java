package dev.escrowstack.escrow.fault;

import java.util.Optional;

import io.smallrye.config.ConfigMapping;

/**
 * The one fault-injection setting, {@code escrow.fault} (ESCROW_FAULT), kept here rather than in EscrowConfig so
 * that the config package does not depend on this one. It shares the {@code escrow} prefix: the variable's
 * name is what scripts and tests set.
 */
@ConfigMapping(prefix = "escrow")
public interface FaultConfig {

    /**
     * Dev and test profiles only (ESCROW_FAULT=cache-pollution|wrong-infos): reproduce one of the skill's
     * failure patterns on real wallet-rpc, so the analyzer can be checked against it. Refused in prod.
     */
    Optional<Fault> fault();
}
