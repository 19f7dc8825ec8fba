package dev.siyu.core.config;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;

/**
 * The cheap syntax check of a CEL entry_condition that needs no CEL library: brackets balance and
 * string literals close. The conditions issue compiles the expression for real.
 */
final class ConditionSyntax {
    private ConditionSyntax() {
    }

    /** Why the expression cannot be CEL, or empty when brackets and quotes are balanced. */
    static Optional<String> imbalance(String expression) {
        Deque<Integer> open = new ArrayDeque<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (c == '"' || c == '\'') {
                int end = closingQuote(expression, i);
                if (end < 0) {
                    return Optional.of("string starting at character " + (i + 1) + " is never closed (" + c + ")");
                }
                i = end + 1;
                continue;
            }
            if (c == '(' || c == '[' || c == '{') {
                open.push(i);
            } else if (c == ')' || c == ']' || c == '}') {
                if (open.isEmpty()) {
                    return Optional.of("'" + c + "' at character " + (i + 1) + " has no opening bracket");
                }
                int opener = open.pop();
                if (expression.charAt(opener) != matching(c)) {
                    return Optional.of("'" + c + "' at character " + (i + 1) + " does not match '"
                            + expression.charAt(opener) + "' at character " + (opener + 1));
                }
            }
            i++;
        }
        if (!open.isEmpty()) {
            int opener = open.peek();
            return Optional.of("'" + expression.charAt(opener) + "' at character " + (opener + 1) + " is never closed");
        }
        return Optional.empty();
    }

    private static int closingQuote(String expression, int start) {
        char quote = expression.charAt(start);
        for (int i = start + 1; i < expression.length(); i++) {
            char c = expression.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i;
            }
        }
        return -1;
    }

    private static char matching(char closer) {
        return closer == ')' ? '(' : closer == ']' ? '[' : '{';
    }
}
