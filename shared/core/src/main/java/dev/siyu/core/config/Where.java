package dev.siyu.core.config;

import org.yaml.snakeyaml.nodes.Node;

/** A field's path and 1-based position in the YAML text, kept so later cross-checks can still point at it. */
record Where(String path, int line, int column) {

    static Where of(String path, Node node) {
        return new Where(path, node.getStartMark().getLine() + 1, node.getStartMark().getColumn() + 1);
    }

    String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    String index(int index) {
        return path + "[" + index + "]";
    }

    /** The same position under another path: a missing field is reported where its parent starts. */
    Where as(String otherPath) {
        return new Where(otherPath, line, column);
    }
}
