package dev.siyu.core.schedule;

import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.ConditionException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A stand-in for the CEL engine (it lives in shared/conditions, which core cannot depend on): each
 * expression the test uses is mapped to the Java predicate it means, over the same {@code customer} facts.
 */
final class MapConditionCompiler implements ConditionCompiler {
    private final Map<String, Predicate<Map<String, Object>>> known = new HashMap<>();

    MapConditionCompiler define(String expression, Predicate<Map<String, Object>> overCustomer) {
        known.put(expression, overCustomer);
        return this;
    }

    @Override
    public Condition compile(String expression) {
        Predicate<Map<String, Object>> p = known.get(expression);
        if (p == null) {
            throw new ConditionException("unknown expression " + expression, 1);
        }
        return vars -> p.test(customer(vars));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> customer(Map<String, Object> vars) {
        return (Map<String, Object>) vars.get("customer");
    }

    @SuppressWarnings("unchecked")
    static boolean tagged(Map<String, Object> customer, String tag) {
        return ((List<String>) customer.get("tags")).contains(tag);
    }

    /** The blueprint's conditions as the CEL engine would read them. */
    static MapConditionCompiler blueprint() {
        return new MapConditionCompiler()
                .define("customer.has_purchased", c -> (Boolean) c.get("has_purchased"))
                .define("customer.days_since_last_interaction >= 30",
                        c -> (Long) c.get("days_since_last_interaction") >= 30)
                .define("customer.total_spend > 2000.0", c -> (Double) c.get("total_spend") > 2000.0)
                .define("customer.total_spend > 1000.0 || \"VIP\" in customer.tags",
                        c -> (Double) c.get("total_spend") > 1000.0 || tagged(c, "VIP"));
    }
}
