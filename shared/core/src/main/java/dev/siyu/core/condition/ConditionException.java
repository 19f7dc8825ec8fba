package dev.siyu.core.condition;

/** A condition that does not compile or cannot be evaluated; column is 1-based, 0 when unknown. */
public class ConditionException extends RuntimeException {
    private final int column;

    public ConditionException(String message, int column) {
        super(message);
        this.column = column;
    }

    public int column() {
        return column;
    }
}
