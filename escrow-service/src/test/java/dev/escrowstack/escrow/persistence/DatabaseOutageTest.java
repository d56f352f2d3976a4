package dev.escrowstack.escrow.persistence;

import static org.junit.jupiter.api.Assertions.*;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import jakarta.persistence.PersistenceException;

import org.hibernate.exception.ConstraintViolationException;
import org.hibernate.exception.GenericJDBCException;
import org.hibernate.exception.JDBCConnectionException;
import org.junit.jupiter.api.Test;

/** The failures that mean "the database is unreachable for now", in the shapes Agroal and Hibernate give them. */
class DatabaseOutageTest {

    private static final SQLException REFUSED = new SQLException("Connection to 127.0.0.1:5432 refused", "08001");

    @Test
    void aRefusedConnectionIsAnOutageHoweverDeepItIsWrapped() {
        // What a request sees while PostgreSQL is down: Agroal's state-less wrapper, then Hibernate's.
        SQLException agroal = new SQLException("Exception while creating new connection", REFUSED);
        assertTrue(DatabaseOutage.isOutage(new GenericJDBCException("Unable to acquire JDBC Connection", agroal)));
        assertTrue(DatabaseOutage.isOutage(new RuntimeException(new PersistenceException(agroal))));
        assertTrue(DatabaseOutage.isOutage(REFUSED));
    }

    @Test
    void aConnectionLostMidStatementOrAShutdownIsAnOutage() {
        assertTrue(DatabaseOutage.isOutage(new SQLException("An I/O error occurred while sending to the backend.", "08006")));
        assertTrue(DatabaseOutage.isOutage(new SQLException("terminating connection due to administrator command", "57P01")));
        assertTrue(DatabaseOutage.isOutage(new SQLException("terminating connection due to crash of another server process", "57P02")));
        assertTrue(DatabaseOutage.isOutage(new SQLException("the database system is starting up", "57P03")));
        assertTrue(DatabaseOutage.isOutage(new JDBCConnectionException("broken", null)));
        assertTrue(DatabaseOutage.isOutage(new SQLTransientConnectionException("pool timed out")));
    }

    @Test
    void noConnectionWithinTheAcquisitionTimeoutIsAnOutage() {
        // Agroal's answer when the database hangs (or the pool stays exhausted), as Hibernate passes it on.
        SQLException acquisition = new SQLException("Acquisition timeout while waiting for new connection",
                new java.util.concurrent.TimeoutException());
        assertTrue(DatabaseOutage.isOutage(new GenericJDBCException("Unable to acquire JDBC Connection", acquisition)));
    }

    @Test
    void aFailedStatementIsNot() {
        SQLException duplicate = new SQLException("duplicate key value violates unique constraint", "23505");
        assertFalse(DatabaseOutage.isOutage(new ConstraintViolationException("duplicate", duplicate, "escrow_idempotency_key")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("database \"escrow\" does not exist any more", "57P04")));
        assertFalse(DatabaseOutage.isOutage(new SQLException("no state")));
        assertFalse(DatabaseOutage.isOutage(new IllegalStateException("not a database failure")));
        assertFalse(DatabaseOutage.isOutage(null));
    }

    @Test
    void aCauseCycleEnds() {
        Exception a = new Exception("a");
        Exception b = new Exception("b", a);
        a.initCause(b);
        assertFalse(DatabaseOutage.isOutage(a));
    }
}
