package dev.siyu.core.gate;

/** Why a touch may go out outside business hours (the seed's "except urgent after-sales"). */
public enum Exemption {
    AFTER_SALES,
    /** An answer to something the customer just did or asked; the customer chose the time. */
    REPLY_TO_CUSTOMER
}
