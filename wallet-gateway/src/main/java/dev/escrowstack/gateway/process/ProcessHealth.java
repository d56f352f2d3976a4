package dev.escrowstack.gateway.process;

public enum ProcessHealth {
    /** Launched, not yet answering get_version. */
    STARTING,
    HEALTHY,
    /** Died or was killed as hung; a restart is scheduled. */
    RESTARTING,
    /** Stopped on purpose (gateway shutdown). */
    STOPPED
}
