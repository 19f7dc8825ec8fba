package dev.siyu.core.gate;

import dev.siyu.core.profile.CustomerProfile;
import java.time.ZoneId;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the gate's {@link CustomerState} from what the stores hold. Consent is a parameter because
 * it is not stored yet (no consent items in the table); left groups, group mixes and WeCom's 41048 limit
 * are not tracked yet either, so they start empty and callers that know them add them with the
 * with-methods.
 */
public final class CustomerStates {
    private CustomerStates() {
    }

    /**
     * @param zone the customer's zone when known, else null: the gate then uses the tenant's zone. The
     *             profile holds a city but no zone, and guessing one from a city name would put quiet
     *             hours in the wrong place for customers who travel or moved.
     */
    public static CustomerState from(CustomerProfile profile, Consent consent, Counters counters, ContentMix mix,
                                     ZoneId zone) {
        Objects.requireNonNull(profile, "profile");
        return new CustomerState(profile.customerId(), Objects.requireNonNull(consent, "consent"),
                profile.relationships(), Set.of(), counters, mix, Map.of(), zone, null);
    }

    /** A customer whose zone is not known. */
    public static CustomerState from(CustomerProfile profile, Consent consent, Counters counters, ContentMix mix) {
        return from(profile, consent, counters, mix, null);
    }
}
