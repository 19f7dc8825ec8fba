package dev.siyu.core.config;

import java.util.HashMap;
import java.util.Map;

/** Names that must not repeat within one list (user ids, store ids, ...); a repeat names the first's line. */
final class UniqueNames {
    private final ProblemLog log;
    private final String what;
    private final Map<String, Where> seen = new HashMap<>();

    /** @param what how messages name the value, e.g. "user_id" or "group type name" */
    UniqueNames(ProblemLog log, String what) {
        this.log = log;
        this.what = what;
    }

    void add(String value, Where where) {
        Where first = seen.putIfAbsent(value, where);
        if (first != null) {
            log.add(where, "duplicate " + what + " '" + value + "' (first at line " + first.line() + ")");
        }
    }
}
