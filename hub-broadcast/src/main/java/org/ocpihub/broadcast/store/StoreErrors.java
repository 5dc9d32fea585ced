package org.ocpihub.broadcast.store;

import java.util.Set;

import io.r2dbc.spi.R2dbcException;
import tools.jackson.core.JacksonException;

/**
 * Tells a store error that can never succeed from one worth retrying (issue 7.5): retrying a deterministic failure
 * inside the per-partition sequence only delays every later broadcast of that partition.
 */
public final class StoreErrors {

    /**
     * SQLState classes that depend on the data or the statement, not on the moment: 22 data exception (numeric out of
     * range, invalid text, unsupported Unicode escape), 23 integrity constraint, 42 syntax or access rule, 54
     * program limit exceeded.
     */
    private static final Set<String> DETERMINISTIC_CLASSES = Set.of("22", "23", "42", "54");

    private StoreErrors() {
    }

    /** True when the same record would fail the same way again. */
    public static boolean deterministic(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof R2dbcException db) {
                String state = db.getSqlState();
                return state != null && state.length() >= 2 && DETERMINISTIC_CLASSES.contains(state.substring(0, 2));
            }
            if (t instanceof IllegalArgumentException || t instanceof JacksonException
                    || t instanceof ArithmeticException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /** The SQLState when the database said it, else null. */
    public static String sqlState(Throwable error) {
        for (Throwable t = error; t != null && t.getCause() != t; t = t.getCause()) {
            if (t instanceof R2dbcException db) {
                return db.getSqlState();
            }
        }
        return null;
    }
}
