package dev.siyu.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * A YAML mapping read field by field. Every accessor reports what is wrong to the log and returns
 * empty, so the caller goes on and the operator sees all problems of a file at once.
 */
final class YamlMap {
    /** A string from a YAML list, with its own position (e.g. staff_pool[1] on its own line). */
    record Item(String value, Where where) {
        static List<String> values(List<Item> items) {
            return items.stream().map(Item::value).toList();
        }
    }

    private final Where where;
    private final ProblemLog log;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();

    private YamlMap(MappingNode node, Where where, ProblemLog log) {
        this.where = where;
        this.log = log;
        for (NodeTuple tuple : node.getValue()) {
            Node keyNode = tuple.getKeyNode();
            if (!(keyNode instanceof ScalarNode)) {
                log.add(Where.of(where.path(), keyNode), "a key must be a plain name, not " + YamlNodes.describe(keyNode));
                continue;
            }
            String key = ((ScalarNode) keyNode).getValue();
            NodeTuple first = entries.putIfAbsent(key, tuple);
            if (first != null) {
                log.add(Where.of(where.key(key), keyNode), "duplicate key '" + key + "' (first at line "
                        + (first.getKeyNode().getStartMark().getLine() + 1) + ")");
            }
        }
    }

    /** The mapping at node, or empty (reported) when node is something else. */
    static Optional<YamlMap> of(Node node, Where where, ProblemLog log) {
        if (node instanceof MappingNode) {
            return Optional.of(new YamlMap((MappingNode) node, where, log));
        }
        log.add(where, "expected a mapping (key: value lines), got " + YamlNodes.describe(node));
        return Optional.empty();
    }

    Where where() {
        return where;
    }

    /** Where the key's value sits; the key itself when it has no value; this mapping's start when absent. */
    Where at(String key) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            return where.as(where.key(key));
        }
        // an empty value's mark is past the colon, where there is nothing to see
        Node shown = YamlNodes.isNull(tuple.getValueNode()) ? tuple.getKeyNode() : tuple.getValueNode();
        return Where.of(where.key(key), shown);
    }

    /** The keys in file order; for sections keyed by name (journeys, SOP templates, cycles). */
    List<String> keys() {
        return List.copyOf(entries.keySet());
    }

    /** Where the key itself is written: names that are keys (a journey's) are reported there. */
    Where keyAt(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple == null ? where.as(where.key(key)) : Where.of(where.key(key), tuple.getKeyNode());
    }

    /** The key's value when it is a scalar (a plain or quoted string, a number, ...). */
    Optional<ScalarNode> scalar(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple != null && tuple.getValueNode() instanceof ScalarNode
                ? Optional.of((ScalarNode) tuple.getValueNode()) : Optional.empty();
    }

    /** true or false; YAML's yes/no/on/off are refused, being the usual source of surprise. */
    Optional<Boolean> bool(String key) {
        return string(key, false).flatMap(text -> {
            if (text.equals("true") || text.equals("false")) {
                return Optional.of(Boolean.parseBoolean(text));
            }
            log.add(at(key), key + " must be true or false, got '" + text + "'");
            return Optional.empty();
        });
    }

    /** A string that must be one of known, the closest suggested when it is not. */
    Optional<String> choice(String key, boolean required, String what, List<String> known) {
        return string(key, required).filter(value -> {
            if (known.contains(value)) {
                return true;
            }
            log.add(at(key), Suggestions.unknown(what, value, known));
            return false;
        });
    }

    boolean has(String key) {
        NodeTuple tuple = entries.get(key);
        return tuple != null && !YamlNodes.isNull(tuple.getValueNode());
    }

    /** Typo protection: keys outside known are reported, with the closest known key when there is one. */
    void allowOnly(List<String> known) {
        for (Map.Entry<String, NodeTuple> entry : entries.entrySet()) {
            String key = entry.getKey();
            if (known.contains(key)) {
                continue;
            }
            Where keyWhere = Where.of(where.key(key), entry.getValue().getKeyNode());
            String message = Suggestions.closest(key, known)
                    .map(c -> "unknown key '" + key + "'; did you mean '" + c + "'?")
                    .orElse("unknown key '" + key + "' (known: " + String.join(", ", known) + ")");
            log.add(keyWhere, message);
        }
    }

    Optional<String> string(String key, boolean required) {
        return present(key, required).flatMap(node -> {
            Where at = at(key);
            if (!(node instanceof ScalarNode)) {
                log.add(at, "expected a string, got " + YamlNodes.describe(node));
                return Optional.empty();
            }
            String value = ((ScalarNode) node).getValue();
            if (value.isBlank()) {
                log.add(at, required ? "must not be empty" : "must not be empty (leave the key out for the default)");
                return Optional.empty();
            }
            return Optional.of(value);
        });
    }

    Optional<Integer> integer(String key, boolean required) {
        return present(key, required).flatMap(node -> {
            Where at = at(key);
            if (!(node instanceof ScalarNode) || !Tag.INT.equals(node.getTag())) {
                log.add(at, "expected a whole number, got " + YamlNodes.describe(node));
                return Optional.empty();
            }
            String text = ((ScalarNode) node).getValue().replace("_", "");
            try {
                return Optional.of(Integer.parseInt(text));
            } catch (NumberFormatException e) {
                log.add(at, "'" + text + "' is not a whole number in range");
                return Optional.empty();
            }
        });
    }

    /** An optional whole number within min..max; why ends the message when it is outside. */
    Optional<Integer> integer(String key, int min, int max, String why) {
        return integer(key, false).filter(v -> {
            if (v >= min && v <= max) {
                return true;
            }
            log.add(at(key), key + " " + v + " is outside " + min + ".." + max + why);
            return false;
        });
    }

    /** A list of strings; a bare string where a list belongs is the common slip, so it is named as such. */
    Optional<List<Item>> strings(String key, boolean required) {
        return present(key, required).flatMap(node -> {
            Where at = at(key);
            if (!(node instanceof SequenceNode)) {
                String hint = node instanceof ScalarNode ? "; write it as a list: [" + ((ScalarNode) node).getValue() + "]" : "";
                log.add(at, "expected a list of strings, got " + YamlNodes.describe(node) + hint);
                return Optional.empty();
            }
            List<Node> elements = ((SequenceNode) node).getValue();
            List<Item> items = new ArrayList<>();
            boolean valid = true;
            for (int i = 0; i < elements.size(); i++) {
                Node element = elements.get(i);
                Where elementWhere = Where.of(at.index(i), element);
                if (!(element instanceof ScalarNode) || YamlNodes.isNull(element) || ((ScalarNode) element).getValue().isBlank()) {
                    log.add(elementWhere, "expected a non-empty string, got " + YamlNodes.describe(element));
                    valid = false;
                } else {
                    items.add(new Item(((ScalarNode) element).getValue(), elementWhere));
                }
            }
            return valid ? Optional.of(items) : Optional.empty();
        });
    }

    Optional<YamlMap> map(String key, boolean required) {
        return present(key, required).flatMap(node -> of(node, at(key), log));
    }

    /** A list of mappings; elements that are not mappings are reported and left out, keeping their indexes. */
    Optional<List<YamlMap>> maps(String key, boolean required) {
        return present(key, required).flatMap(node -> {
            Where at = at(key);
            if (!(node instanceof SequenceNode)) {
                log.add(at, "expected a list (lines starting with '- '), got " + YamlNodes.describe(node));
                return Optional.empty();
            }
            List<Node> elements = ((SequenceNode) node).getValue();
            List<YamlMap> maps = new ArrayList<>();
            for (int i = 0; i < elements.size(); i++) {
                Node element = elements.get(i);
                of(element, Where.of(at.index(i), element), log).ifPresent(maps::add);
            }
            return Optional.of(maps);
        });
    }

    private Optional<Node> present(String key, boolean required) {
        NodeTuple tuple = entries.get(key);
        if (tuple == null) {
            if (required) {
                log.add(at(key), "missing required field '" + key + "'");
            }
            return Optional.empty();
        }
        if (YamlNodes.isNull(tuple.getValueNode())) {
            if (required) {
                log.add(at(key), "'" + key + "' has no value");
            }
            return Optional.empty();
        }
        return Optional.of(tuple.getValueNode());
    }
}
