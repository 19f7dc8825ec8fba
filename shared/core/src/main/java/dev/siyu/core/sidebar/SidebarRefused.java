package dev.siyu.core.sidebar;

/** A sidebar request refused before anything was written; reason maps to the HTTP status the page sees. */
public final class SidebarRefused extends RuntimeException {
    public enum Reason {
        /** The request is malformed: a missing external_userid, a tag outside the blueprint's tag system. */
        BAD_REQUEST,
        /** The customer is not an active contact of the staff member asking. */
        NOT_YOUR_CUSTOMER,
        /** No customer (or task) by that id. */
        NOT_FOUND,
        /** The same request is being processed by another attempt right now. */
        IN_PROGRESS
    }

    private final Reason reason;

    public SidebarRefused(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
