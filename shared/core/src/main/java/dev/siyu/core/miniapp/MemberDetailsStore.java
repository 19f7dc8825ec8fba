package dev.siyu.core.miniapp;

import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The members' Mini Program details, one item per customer, versioned like the profile: a copy read earlier
 * never overwrites a later change.
 */
public interface MemberDetailsStore {
    int UPDATE_ATTEMPTS = 5;

    Optional<MemberDetails> details(String tenant, String customerId);

    /** Writes d over the version it was read at (0: only when none is stored); false when a newer one is. */
    boolean save(String tenant, MemberDetails d);

    /** Applies change to the latest copy (an empty one when none is stored), re-applying on a conflict. */
    default MemberDetails update(String tenant, String customerId, UnaryOperator<MemberDetails> change) {
        for (int attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
            MemberDetails current = details(tenant, customerId).orElse(MemberDetails.empty(customerId));
            MemberDetails next = change.apply(current);
            if (next.equals(current)) {
                return current;
            }
            if (save(tenant, next.atVersion(current.version()))) {
                return next.atVersion(current.version() + 1);
            }
        }
        throw new IllegalStateException("member details " + tenant + "/" + customerId + " changed under "
                + UPDATE_ATTEMPTS + " attempts to update them");
    }
}
