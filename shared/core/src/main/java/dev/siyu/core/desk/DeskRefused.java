package dev.siyu.core.desk;

import java.util.Objects;

/** The desk will not do what a staff member asked, and says why in words the staff member reads. */
public final class DeskRefused extends RuntimeException {
    /** Why, for a caller that maps it (the sidebar's routes: 404, 403, 409). */
    public enum Why {
        /** No such task. */
        NOT_FOUND,
        /** The task is another staff member's. */
        NOT_YOURS,
        /** The task was dismissed or expired; it can no longer be sent. */
        CLOSED,
        /** A red line holds now: the friendship ended or the customer withdrew consent. */
        RED_LINE
    }

    private final Why why;

    public DeskRefused(Why why, String reason) {
        super(reason);
        this.why = Objects.requireNonNull(why, "why");
    }

    public Why why() {
        return why;
    }
}
