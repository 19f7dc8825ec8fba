package dev.siyu.core.condition;

/**
 * Turns condition text into a {@link Condition}. Core holds no expression engine (the CEL one lives
 * in shared/conditions), so config validation and the journey engine take one of these.
 */
public interface ConditionCompiler {
    /**
     * @throws ConditionException when the text is not a valid boolean condition over the declared
     *                            variables, with the 1-based column of the first mistake
     */
    Condition compile(String expression);
}
