package dev.siyu.sim;

import java.util.List;
import java.util.Random;

/**
 * The synthetic customers and how they behave, per channel. Rates are plausible for a consumer brand's
 * private domain (buyers from a parcel card reply less than livestream viewers with high intent), and
 * all draws come from one seeded Random so a run is reproducible.
 */
final class Population {
    /** How customers of one channel behave over the simulated window. */
    /**
     * @param miniProgram     the share who use the brand's Mini Program (sign in, consent, browse, redeem)
     * @param consent         the share of those members who grant marketing consent when they sign up
     * @param withdrawConsent the share of those who withdraw it again within the window
     */
    record Profile(String state, double share, double reply, double miniProgram, double consent, double purchasePerDay,
                   double deleteStaff, double withdrawConsent, double joinOnInvite, double leaveGroup,
                   double averageOrder) { }

    static final List<Profile> CHANNELS = List.of(
            new Profile("parcel_card_east", 0.45, 0.45, 0.75, 0.85, 0.010, 0.05, 0.03, 0.50, 0.08, 180),
            new Profile("livestream_qr", 0.35, 0.60, 0.80, 0.80, 0.016, 0.07, 0.03, 0.60, 0.10, 150),
            new Profile("in_store.sh01", 0.10, 0.55, 0.85, 0.90, 0.012, 0.03, 0.02, 0.55, 0.06, 320),
            new Profile("in_store.hz01", 0.10, 0.55, 0.85, 0.90, 0.012, 0.03, 0.02, 0.55, 0.06, 300));

    /** A member's visits to the Mini Program (home page, products, shares), per day. */
    static final double MINI_PROGRAM_VISITS_PER_DAY = 0.12;

    static final List<String> CATEGORIES = List.of("skincare", "cosmetics", "personal_care", "baby_care", "health");

    private Population() {
    }

    static Profile pick(Random random) {
        double r = random.nextDouble();
        double acc = 0;
        for (Profile p : CHANNELS) {
            acc += p.share();
            if (r < acc) {
                return p;
            }
        }
        return CHANNELS.get(CHANNELS.size() - 1);
    }
}
