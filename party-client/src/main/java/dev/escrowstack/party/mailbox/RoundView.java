package dev.escrowstack.party.mailbox;

import java.util.List;

/**
 * GET /{id}/rounds/{round}: the other two participants' infos once all three are in, else who is still missing, and the
 * round's deadline when the service says it (null otherwise).
 */
public record RoundView(int round, boolean complete, List<String> infos, List<String> waitingFor, String deadline) {
}
