package dev.siyu.core.callback;

/** The kinds of repair the callback records and the reconciler makes (TenantLog.Repair). */
public final class Repairs {
    /** WeCom's contact detail failed, so the unionid is unknown: fetched again, merged if the unionid has an owner. */
    public static final String CONTACT_DETAIL = "contact_detail";
    /** The channel's tags were not marked in WeCom: marked again (idempotent in WeCom). */
    public static final String TAGS = "tags";
    /** A pool's active count to decrement once, keyed by the delete callback. */
    public static final String POOL_REMOVAL = "pool_removal";

    private Repairs() {
    }
}
