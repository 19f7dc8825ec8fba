package dev.siyu.core.member;

import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.port.PointsLedger;

/**
 * The membership's stores an engine's jobs need (the points-expiry job): the points ledger and the members'
 * Mini Program details (their notification centre). Functions that run no such job leave them out
 * ({@link #NONE}); the job then skips and says so.
 */
public record MemberStores(PointsLedger ledger, MemberDetailsStore details) {
    public static final MemberStores NONE = new MemberStores(null, null);

    public boolean present() {
        return ledger != null && details != null;
    }
}
