package dev.siyu.core.callback;

/** The kinds of repair the callback records and the reconciler makes (TenantLog.Repair). */
public final class Repairs {
    /** WeCom's contact detail failed, so the unionid is unknown: fetched again, merged if the unionid has an owner. */
    public static final String CONTACT_DETAIL = "contact_detail";
    /** The channel's tags were not marked in WeCom: marked again (idempotent in WeCom). */
    public static final String TAGS = "tags";
    /** A pool's active count to decrement once, keyed by the delete callback. */
    public static final String POOL_REMOVAL = "pool_removal";
    /**
     * A journey trigger noted before the write it follows and removed once it is on the queue: an attempt that
     * died (or whose send failed) after the write left it, and WeCom may have given the callback up by then, so
     * the reconciler hands it off once it finds the write on the profile.
     */
    public static final String TRIGGER = "trigger";
    /**
     * A merge noted before the absorbed customer is marked and removed once the survivor lists it as merged from:
     * a merge that died in between (the survivor without the relationships, tags and activity it absorbed) is
     * finished by the reconciler. A merge that carries nothing beyond the profile (the WeCom unionid path) is
     * finished whole; a member merge's points and Mini Program data wait for the next request naming either.
     */
    public static final String MERGE = "merge";
    /** An operator's mass send whose runs left customers unsettled: finished by the reconciler in business hours. */
    public static final String MASS_SEND = "mass_send";
    /** A VIP invite whose run died around its WeCom call: settled by the next community run, not the reconciler. */
    public static final String VIP_INVITE = "vip_invite";
    /** A trigger note's details besides the trigger's own: its customer, kind and time, and the event's time. */
    public static final String TRIGGER_CUSTOMER = "trigger_customer";
    public static final String TRIGGER_KIND = "trigger_kind";
    public static final String TRIGGER_AT = "trigger_at";
    public static final String TRIGGER_EVENT_TIME = "event_time";
    /** The pool count the trigger's callback makes after its write: the pool, the add's day, the callback's key. */
    public static final String TRIGGER_POOL = "pool";
    public static final String TRIGGER_DAY = "pool_day";
    public static final String TRIGGER_OPERATION = "operation";

    private Repairs() {
    }
}
