package dev.siyu.core.config;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/** How problem messages tell what a YAML node is ("a list", "the number 3", ...). */
final class YamlNodes {
    private YamlNodes() {
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    static String describe(Node node) {
        if (node == null || isNull(node)) {
            return "nothing";
        }
        if (node instanceof SequenceNode) {
            return "a list";
        }
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        String value = ((ScalarNode) node).getValue();
        if (Tag.INT.equals(node.getTag())) {
            return "the number " + value;
        }
        if (Tag.FLOAT.equals(node.getTag())) {
            return "the number " + value;
        }
        if (Tag.BOOL.equals(node.getTag())) {
            return "the boolean " + value;
        }
        return "the string '" + value + "'";
    }
}
