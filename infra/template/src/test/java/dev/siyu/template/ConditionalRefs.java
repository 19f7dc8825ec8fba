package dev.siyu.template;

import static dev.siyu.template.TemplateEvaluator.list;
import static dev.siyu.template.TemplateEvaluator.map;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A resource created only under a condition may be named (Ref, GetAtt, Sub, DependsOn) only where that condition
 * holds: by a resource or output carrying the same condition, or inside the true branch of an {@code Fn::If} on it.
 * Anywhere else CloudFormation fails the deployment with the condition false ("Unresolved resource dependencies"),
 * which no spec check sees (cfn-lint's rule on references to conditional resources). Conditions are compared by
 * name; an equivalent condition under another name is reported too, on purpose: one name per switch.
 */
final class ConditionalRefs {
    private static final Pattern SUB_PLACEHOLDER = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final Map<String, Object> resources;
    private final List<String> errors = new ArrayList<>();

    private ConditionalRefs(Map<String, Object> template) {
        this.resources = map(template.get("Resources"));
    }

    static List<String> check(Map<String, Object> template) {
        ConditionalRefs c = new ConditionalRefs(template);
        c.walk(map(template.get("Globals")), "Globals", Set.of());
        c.section(c.resources, "Resources");
        c.section(map(template.get("Outputs")), "Outputs");
        return c.errors;
    }

    private void section(Map<String, Object> entries, String path) {
        entries.forEach((id, entry) -> {
            Map<String, Object> e = map(entry);
            Set<String> holding = e.get("Condition") instanceof String c ? Set.of(c) : Set.of();
            Object dependsOn = e.get("DependsOn");
            for (Object target : dependsOn instanceof List<?> l ? l : dependsOn == null ? List.of() : List.of(dependsOn)) {
                named(String.valueOf(target), path + "." + id + ".DependsOn", holding);
            }
            e.forEach((key, value) -> {
                if (!key.equals("Condition") && !key.equals("DependsOn")) {
                    walk(value, path + "." + id + "." + key, holding);
                }
            });
        });
    }

    private void walk(Object value, String path, Set<String> holding) {
        if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), path + "[" + i + "]", holding);
            }
            return;
        }
        if (!(value instanceof Map)) {
            return;
        }
        Map<String, Object> m = map(value);
        if (m.size() == 1 && m.containsKey("Fn::If")) {
            List<Object> args = list(m.get("Fn::If"));
            if (args.size() == 3) {
                Set<String> then = new HashSet<>(holding);
                then.add(String.valueOf(args.get(0)));
                walk(args.get(1), path + ".Fn::If[1]", then);
                walk(args.get(2), path + ".Fn::If[2]", holding);
                return;
            }
        }
        if (m.size() == 1 && m.get("Ref") instanceof String ref) {
            named(ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref, path, holding);
            return;
        }
        if (m.size() == 1 && m.containsKey("Fn::GetAtt")) {
            Object target = m.get("Fn::GetAtt");
            String name = target instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0))
                    : String.valueOf(target).split("\\.")[0];
            named(name, path, holding);
            return;
        }
        if (m.size() == 1 && m.containsKey("Fn::Sub")) {
            Object sub = m.get("Fn::Sub");
            String text = sub instanceof List<?> l && !l.isEmpty() ? String.valueOf(l.get(0)) : String.valueOf(sub);
            Matcher placeholder = SUB_PLACEHOLDER.matcher(text);
            while (placeholder.find()) {
                named(placeholder.group(1).trim().split("\\.")[0], path, holding);
            }
            if (sub instanceof List<?> l && l.size() > 1) {
                walk(l.get(1), path, holding);
            }
            return;
        }
        m.forEach((key, v) -> walk(v, path + "." + key, holding));
    }

    private void named(String id, String path, Set<String> holding) {
        Object resource = resources.get(id);
        if (resource == null || !(map(resource).get("Condition") instanceof String condition)) {
            return;
        }
        if (!holding.contains(condition)) {
            errors.add(path + ": '" + id + "' exists only when " + condition + " holds; name it under Condition: "
                    + condition + " or inside !If [" + condition + ", ...]");
        }
    }
}
