package dev.escrowstack.escrow.rest;

import java.sql.SQLException;

import jakarta.persistence.PersistenceException;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.escrowstack.escrow.persistence.DatabaseOutage;
import dev.escrowstack.escrow.problems.EscrowProblems;
import dev.escrowstack.problem.Problems;
import io.quarkus.logging.Log;

/**
 * While the database is unreachable, a request that needs it is a 503 with Retry-After, which clients
 * and load balancers know to retry, not the 500 of http-problems' catch-all mapper (which these types
 * would otherwise reach). Any other database error stays that 500.
 */
public class DatabaseOutageMapper {

    @ServerExceptionMapper({ PersistenceException.class, SQLException.class })
    public Response database(Exception e) {
        if (!DatabaseOutage.isOutage(e)) {
            return Problems.unexpected(e);
        }
        // No stack: expected while the database restarts, and one line per request is enough to see it.
        Log.warnf("database unreachable, answering 503: %s", e.getMessage());
        return Problems.toResponse(EscrowProblems.databaseUnavailable());
    }
}
