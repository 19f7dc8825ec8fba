package dev.siyu.core.ingest;

/** Input refused before anything is written: field names it as the sender wrote it (lines[0].amount). */
public final class BadInput extends RuntimeException {
    private final String field;

    public BadInput(String field, String message) {
        super(field + ": " + message);
        this.field = field;
    }

    public String field() {
        return field;
    }

    public String reason() {
        return getMessage().substring(field.length() + 2);
    }
}
