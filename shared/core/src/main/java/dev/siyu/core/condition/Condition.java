package dev.siyu.core.condition;

import java.util.Map;

/**
 * A compiled condition (CEL, docs/configuration.md): group entry conditions, journey step conditions, exits and
 * condition triggers. Variables: {@code customer} and {@code run} (maps, see {@link Facts}),
 * {@code event} (map of strings) and {@code now} (timestamp).
 */
@FunctionalInterface
public interface Condition {
    Condition ALWAYS = vars -> true;

    boolean holds(Map<String, Object> vars);
}
