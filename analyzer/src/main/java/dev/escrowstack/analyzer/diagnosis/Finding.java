package dev.escrowstack.analyzer.diagnosis;

import java.util.List;
import java.util.Map;

/**
 * One diagnosed problem: the skill's five answers — which wallet ({@code role}, {@code walletId}), which
 * round, the state before the error ({@code stateBefore}, from the snapshot named {@code stateSource}),
 * why ({@code pattern}, {@code cause}, {@code evidence}) and how to fix it ({@code fix}, {@code rationale}).
 */
public record Finding(Pattern pattern, String escrowId, String role, String walletId, Integer port, Integer round, String operation,
        String error, String stateSource, Map<String, Object> stateBefore, List<String> evidence, String cause, String fix,
        String rationale, List<String> otherEscrows) {
}
