package dev.escrowstack.escrow.persistence;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import org.hibernate.exception.JDBCConnectionException;

/**
 * Whether a failure means the database cannot be reached right now (down, restarting, recovering) rather
 * than that a statement failed. The first kind goes away by waiting, so callers answer 503 or try again;
 * the second stays an error. The cause chain is walked because the telling SQLState is often deep
 * inside: Agroal wraps a refused connection in an SQLException of its own, without a state, and
 * Hibernate wraps that again. A database that hangs instead of refusing gives no state at all: Agroal
 * gives up waiting for a connection (its acquisition timeout, an SQLException caused by a
 * TimeoutException), which is the same answer for a pool that stays exhausted: retry later.
 */
public final class DatabaseOutage {

    private DatabaseOutage() {
    }

    public static boolean isOutage(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof JDBCConnectionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
            if (t instanceof SQLException sql && (unreachable(sql.getSQLState()) || sql.getCause() instanceof TimeoutException)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Class 08: connection exception (refused, broken, lost mid-statement). 57P: the server shut down
     * (57P01 admin, 57P02 crash) or is still starting or recovering (57P03), except 57P04, a dropped
     * database, which waiting does not bring back.
     */
    private static boolean unreachable(String sqlState) {
        return sqlState != null && (sqlState.startsWith("08") || sqlState.startsWith("57P") && !sqlState.equals("57P04"));
    }
}
