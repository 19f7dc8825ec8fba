package dev.siyu.core.config;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.ConditionException;
import java.util.Optional;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.nodes.ScalarNode;

/**
 * Checks the conditions of a blueprint (entry conditions, rule {@code when}, journey triggers, steps
 * and exits). With a compiler each is compiled for real and a mistake is reported at its own
 * character; without one (core has no expression engine) only brackets and quotes are checked
 * ({@link ConditionSyntax}), so a load stays cheap where CEL is not on the classpath.
 */
final class ConditionCheck {
    private final ConditionCompiler compiler;
    private final ProblemLog log;

    /** @param compiler null for the bracket-and-quote check only */
    ConditionCheck(ConditionCompiler compiler, ProblemLog log) {
        this.compiler = compiler;
        this.log = log;
    }

    /** The condition at key when present and valid; a mistake is reported and gives empty. */
    Optional<String> read(YamlMap map, String key, boolean required) {
        return map.string(key, required).filter(text -> valid(map, key, text));
    }

    private boolean valid(YamlMap map, String key, String text) {
        String prefix = key + " is not a valid CEL expression: ";
        if (compiler == null) {
            Optional<String> imbalance = ConditionSyntax.imbalance(text);
            imbalance.ifPresent(reason -> log.add(map.at(key), prefix + reason));
            return imbalance.isEmpty();
        }
        try {
            compiler.compile(text);
            return true;
        } catch (ConditionException e) {
            int column = e.column();
            Optional<Where> exact = column > 0 ? charAt(map, key, column - 1) : Optional.empty();
            if (exact.isPresent()) {
                log.add(exact.get(), prefix + e.getMessage());
            } else {
                // a block scalar or escapes: the value's start, and the character within the condition
                String character = column > 0 ? " (column " + column + " of the condition)" : "";
                log.add(map.at(key), prefix + e.getMessage() + character);
            }
            return false;
        }
    }

    /**
     * Where character offset (0-based) of the key's string value sits, when that can be told exactly:
     * a one-line plain or quoted scalar without escapes. Empty otherwise (block scalars, escapes), and
     * the caller reports at the value's start and names the character instead.
     */
    private static Optional<Where> charAt(YamlMap map, String key, int offset) {
        Optional<ScalarNode> scalar = map.scalar(key);
        if (scalar.isEmpty()) {
            return Optional.empty();
        }
        ScalarNode node = scalar.get();
        DumperOptions.ScalarStyle style = node.getScalarStyle();
        int quote;
        if (style == DumperOptions.ScalarStyle.PLAIN) {
            quote = 0;
        } else if (style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED) {
            quote = 1;
        } else {
            return Optional.empty();
        }
        Mark start = node.getStartMark();
        Mark end = node.getEndMark();
        String value = node.getValue();
        boolean verbatim = start.getLine() == end.getLine()
                && end.getColumn() - start.getColumn() == value.codePointCount(0, value.length()) + 2 * quote;
        if (!verbatim || offset < 0 || offset > value.length()) {
            return Optional.empty();
        }
        int column = start.getColumn() + 1 + quote + value.codePointCount(0, offset);
        return Optional.of(new Where(map.where().key(key), start.getLine() + 1, column));
    }
}
