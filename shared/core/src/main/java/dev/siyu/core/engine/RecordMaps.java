package dev.siyu.core.engine;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A job's summary record as plain maps, lists, numbers and strings, component names as keys. Each
 * job keeps its own summary type in shared/core; this turns any of them into JSON-ready data without
 * a mapper per job or Jackson modules for the java.time values (those become ISO-8601 text).
 */
public final class RecordMaps {
    private RecordMaps() {
    }

    public static Object plain(Object value) {
        if (value == null || value instanceof Number || value instanceof Boolean || value instanceof String) {
            return value;
        }
        if (value instanceof TemporalAccessor || value instanceof Enum<?> || value instanceof java.time.Duration) {
            return value.toString();
        }
        if (value instanceof Record r) {
            return of(r);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), plain(v)));
            return out;
        }
        if (value instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            c.forEach(v -> out.add(plain(v)));
            return out;
        }
        return value.toString();
    }

    public static Map<String, Object> of(Record r) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : r.getClass().getRecordComponents()) {
            try {
                c.getAccessor().setAccessible(true);
                out.put(c.getName(), plain(c.getAccessor().invoke(r)));
            } catch (IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read " + r.getClass().getSimpleName() + "." + c.getName(), e);
            }
        }
        return out;
    }

    /** A summary that is not a record (or null) still says something. */
    public static Map<String, Object> summary(Object result) {
        if (result instanceof Record r) {
            return of(r);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (result != null) {
            Object plain = plain(result);
            if (plain instanceof Map<?, ?> m) {
                m.forEach((k, v) -> out.put(String.valueOf(k), v));
            } else {
                out.put("result", plain);
            }
        }
        return out;
    }
}
