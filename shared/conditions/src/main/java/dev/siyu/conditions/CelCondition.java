package dev.siyu.conditions;

import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionException;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One compiled CEL program; immutable, so one instance serves every thread and every evaluation. */
final class CelCondition implements Condition {
    // CEL names the failing sub-expression by its 0-based character offset: "evaluation error at <input>:8: ..."
    private static final Pattern EVALUATION_ERROR = Pattern.compile("(?s)evaluation error at <input>:(\\d+): (.*)");

    private final String expression;
    private final CelRuntime.Program program;

    CelCondition(String expression, CelRuntime.Program program) {
        this.expression = Objects.requireNonNull(expression, "expression");
        this.program = Objects.requireNonNull(program, "program");
    }

    @Override
    public boolean holds(Map<String, Object> vars) {
        Object result;
        try {
            result = program.eval(vars);
        } catch (CelEvaluationException | RuntimeException e) {
            throw evaluationFailed(e);
        }
        if (result instanceof Boolean) {
            return (Boolean) result;
        }
        // the checker lets a dyn value (customer.total_spend) through as bool; only now is it known
        throw new ConditionException("condition '" + expression + "' gave " + describe(result)
                + ", not true or false", 1);
    }

    private ConditionException evaluationFailed(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int column = 0;
        Matcher m = EVALUATION_ERROR.matcher(message);
        if (m.matches()) {
            column = columnOf(Integer.parseInt(m.group(1)));
            message = m.group(2).replaceAll("\\.$", "");
        }
        if (message.startsWith("No matching overload")) {
            // the usual cause is a fact of the wrong Java type, not the operator's expression
            message += " (facts must hold whole numbers as Long and money as double; see Facts)";
        }
        String where = column > 0 ? " at column " + column : "";
        return new ConditionException("cannot evaluate condition '" + expression + "'" + where + ": " + message, column);
    }

    /** 1-based column on the offset's own line, as an operator counts in a multi-line YAML scalar. */
    private int columnOf(int offset) {
        if (offset < 0 || offset > expression.length()) {
            return 0;
        }
        int lineStart = expression.lastIndexOf('\n', offset - 1) + 1;
        return offset - lineStart + 1;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String type = value instanceof String ? "a string" : value instanceof Double ? "a double"
                : value instanceof Long ? "an int" : "a " + value.getClass().getSimpleName();
        return (value instanceof String ? "'" + value + "'" : String.valueOf(value)) + " (" + type + ")";
    }

    @Override
    public String toString() {
        return expression;
    }
}
