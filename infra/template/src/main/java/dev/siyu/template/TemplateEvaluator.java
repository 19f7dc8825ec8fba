package dev.siyu.template;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a template's conditions for given parameter values (the defaults unless overridden)
 * and resolves {@code Fn::If} the way CloudFormation would, including {@code AWS::NoValue}. Also
 * merges SAM {@code Globals} into a resource's properties. Only what a deploy-time decision needs
 * is evaluated: conditions built from {@code Fn::Equals}, {@code Fn::Not}, {@code Fn::And},
 * {@code Fn::Or}, {@code Condition}, parameter {@code Ref}s and literals.
 */
public final class TemplateEvaluator {

    /** Maps SAM Globals sections to the resource type they apply to. */
    public static final Map<String, String> GLOBALS_SECTIONS = Map.of(
            "Function", "AWS::Serverless::Function",
            "Api", "AWS::Serverless::Api",
            "HttpApi", "AWS::Serverless::HttpApi",
            "SimpleTable", "AWS::Serverless::SimpleTable",
            "StateMachine", "AWS::Serverless::StateMachine",
            "LayerVersion", "AWS::Serverless::LayerVersion");

    private static final Object NO_VALUE = new Object();

    private final Map<String, Object> template;
    private final Map<String, String> parameters;
    private final Map<String, Boolean> conditionValues = new HashMap<>();
    private final Set<String> evaluating = new HashSet<>();

    private TemplateEvaluator(Map<String, Object> template, Map<String, String> parameters) {
        this.template = template;
        this.parameters = parameters;
    }

    /** Parameter values: each parameter's Default, replaced by {@code overrides} where given. */
    public static TemplateEvaluator of(Map<String, Object> template, Map<String, String> overrides) {
        Map<String, String> values = new LinkedHashMap<>();
        map(template.get("Parameters")).forEach((name, definition) -> {
            Object def = map(definition).get("Default");
            if (def != null) {
                values.put(name, String.valueOf(def));
            }
        });
        values.putAll(overrides);
        return new TemplateEvaluator(template, values);
    }

    public boolean condition(String name) {
        Boolean known = conditionValues.get(name);
        if (known != null) {
            return known;
        }
        Map<String, Object> conditions = map(template.get("Conditions"));
        if (!conditions.containsKey(name)) {
            throw new IllegalArgumentException("no condition named " + name);
        }
        if (!evaluating.add(name)) {
            throw new IllegalArgumentException("condition " + name + " depends on itself");
        }
        boolean value = evaluate(conditions.get(name));
        evaluating.remove(name);
        conditionValues.put(name, value);
        return value;
    }

    private boolean evaluate(Object expression) {
        Map<String, Object> fn = map(expression);
        if (fn.size() != 1) {
            throw new IllegalArgumentException("not a condition function: " + expression);
        }
        Map.Entry<String, Object> only = fn.entrySet().iterator().next();
        List<Object> args = only.getValue() instanceof List<?> l ? new ArrayList<>(l) : List.of();
        switch (only.getKey()) {
            case "Condition":
                return condition(String.valueOf(only.getValue()));
            case "Fn::Equals":
                if (args.size() != 2) {
                    throw new IllegalArgumentException("Fn::Equals takes 2 values: " + expression);
                }
                return scalar(args.get(0)).equals(scalar(args.get(1)));
            case "Fn::Not":
                if (args.size() != 1) {
                    throw new IllegalArgumentException("Fn::Not takes 1 condition: " + expression);
                }
                return !evaluate(args.get(0));
            case "Fn::And":
                return args.stream().allMatch(this::evaluate);
            case "Fn::Or":
                return args.stream().anyMatch(this::evaluate);
            default:
                throw new IllegalArgumentException("cannot evaluate " + only.getKey() + " in a condition");
        }
    }

    private String scalar(Object value) {
        Map<String, Object> fn = map(value);
        if (fn.containsKey("Ref") && fn.size() == 1) {
            String name = String.valueOf(fn.get("Ref"));
            String v = parameters.get(name);
            if (v == null) {
                throw new IllegalArgumentException("parameter " + name + " has no value (no Default, no override)");
            }
            return v;
        }
        if (value instanceof Map || value instanceof List || value == null) {
            throw new IllegalArgumentException("cannot evaluate " + value + " to a string");
        }
        return String.valueOf(value);
    }

    /**
     * A deep copy of {@code value} with every {@code Fn::If} replaced by the branch its condition
     * selects; {@code AWS::NoValue} removes the map entry or list item holding it. A value that is
     * itself {@code AWS::NoValue} resolves to {@code null}.
     */
    public Object resolveIfs(Object value) {
        Object resolved = resolve(value);
        return resolved == NO_VALUE ? null : resolved;
    }

    private Object resolve(Object value) {
        if (value instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.containsKey("Fn::If")) {
                List<?> args = (List<?>) m.get("Fn::If");
                if (args.size() != 3) {
                    throw new IllegalArgumentException("Fn::If takes 3 values: " + value);
                }
                return resolve(condition(String.valueOf(args.get(0))) ? args.get(1) : args.get(2));
            }
            if (m.size() == 1 && "AWS::NoValue".equals(m.get("Ref"))) {
                return NO_VALUE;
            }
            Map<Object, Object> copy = new LinkedHashMap<>();
            m.forEach((k, v) -> {
                Object r = resolve(v);
                if (r != NO_VALUE) {
                    copy.put(k, r);
                }
            });
            return copy;
        }
        if (value instanceof List<?> l) {
            List<Object> copy = new ArrayList<>();
            for (Object item : l) {
                Object r = resolve(item);
                if (r != NO_VALUE) {
                    copy.add(r);
                }
            }
            return copy;
        }
        return value;
    }

    /**
     * A SAM resource's properties with its Globals section merged in, as the SAM transform does:
     * a resource's own scalar wins over the global one, lists are concatenated (global entries
     * first), maps (e.g. Environment.Variables, Tags) are merged key by key with the resource's keys
     * winning. Properties of other types are returned as they are.
     */
    public static Map<String, Object> withGlobals(Map<String, Object> template, String type, Map<String, Object> properties) {
        Map<String, Object> merged = new LinkedHashMap<>();
        GLOBALS_SECTIONS.forEach((section, sectionType) -> {
            if (sectionType.equals(type)) {
                merged.putAll(map(map(template.get("Globals")).get(section)));
            }
        });
        if (merged.isEmpty()) {
            return properties;
        }
        properties.forEach((key, value) -> merged.merge(key, value, TemplateEvaluator::mergeGlobal));
        return merged;
    }

    @SuppressWarnings("unchecked")
    private static Object mergeGlobal(Object global, Object local) {
        if (global instanceof Map<?, ?> g && local instanceof Map<?, ?> l && !isIntrinsic(g) && !isIntrinsic(l)) {
            Map<String, Object> merged = new LinkedHashMap<>((Map<String, Object>) g);
            ((Map<String, Object>) l).forEach((k, v) -> merged.merge(k, v, TemplateEvaluator::mergeGlobal));
            return merged;
        }
        if (global instanceof List<?> g && local instanceof List<?> l) {
            List<Object> merged = new ArrayList<>(g);
            merged.addAll(l);
            return merged;
        }
        return local;
    }

    /** True for a one-key map whose key is {@code Ref}, {@code Condition} or {@code Fn::*}. */
    public static boolean isIntrinsic(Object value) {
        if (value instanceof Map<?, ?> m && m.size() == 1) {
            Object key = m.keySet().iterator().next();
            return "Ref".equals(key) || "Condition".equals(key) || String.valueOf(key).startsWith("Fn::");
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> map(Object value) {
        return value instanceof Map ? (Map<String, Object>) value : Map.of();
    }

    @SuppressWarnings("unchecked")
    public static List<Object> list(Object value) {
        return value instanceof List ? (List<Object>) value : List.of();
    }
}
