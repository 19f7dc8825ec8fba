package dev.siyu.analytics.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.siyu.analytics.scoring.Happening.Kind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PointInTimeFeaturesTest {
    private static final Instant ADDED = Instant.parse("2026-01-01T08:00:00Z");
    private static final Instant CUTOFF = Instant.parse("2026-06-01T00:00:00Z");

    private static Instant day(int d) {
        return ADDED.plusSeconds(d * 86_400L);
    }

    private static List<Happening> before() {
        return List.of(new Happening(Kind.PURCHASE, day(10), 100), new Happening(Kind.PURCHASE, day(10), 20),
                new Happening(Kind.PURCHASE, day(40), 60), new Happening(Kind.PURCHASE, day(100), 90),
                Happening.of(Kind.COUPON_USED, day(40)), Happening.of(Kind.COUPON_IGNORED, day(60)),
                Happening.of(Kind.COUPON_IGNORED, day(80)),
                Happening.of(Kind.MESSAGE_OPENED, day(140)), Happening.of(Kind.REPLY, day(145)),
                Happening.of(Kind.MOMENTS_INTERACTION, day(100)), Happening.of(Kind.MOMENTS_INTERACTION, day(110)),
                Happening.of(Kind.MOMENTS_INTERACTION, day(140)),
                Happening.of(Kind.GROUP_POST, day(120)), Happening.of(Kind.GROUP_MUTED, day(130)));
    }

    @Test
    void featuresAreTheCustomersHistoryUpToTheCutoff() {
        ProfileFeatures f = PointInTimeFeatures.at(new CustomerHistory("a", ADDED, 2, before()), CUTOFF);
        // CUTOFF is 150 days and 16 hours after ADDED; calendar days: the last purchase (Apr 11) is 51 days before
        // June 1, the first (Jan 11) 141.
        assertThat(f.purchaseDays()).isEqualTo(3);
        assertThat(f.monetary()).isCloseTo(270 / 3.0, within(1e-9));
        assertThat(f.daysSinceLastPurchase()).isEqualTo(51);
        assertThat(f.recencyDays()).isEqualTo(51);
        assertThat(f.tenureDays()).isEqualTo(150);
        assertThat(f.tier()).isEqualTo(2);
        assertThat(f.couponsUsed()).isEqualTo(1);
        assertThat(f.couponsIgnored()).isEqualTo(2);
        assertThat(f.messagesOpened30()).isEqualTo(2);
        // Moments: 1 in the last 30 days (day 140), 2 in the 30 before (days 100 and 110): (2 - 1) / 3.
        assertThat(f.momentsDecline()).isCloseTo(1 / 3.0, within(1e-12));
        // Group posts: none in the last 30 days, one (day 120) in the 30 before.
        assertThat(f.communityEngagementChange()).isEqualTo(-0.5);
        assertThat(f.groupExitsOrMutes()).isEqualTo(1);
        // BG/NBD: x = 2 repeat days, t_x = 90 days, T = 141 days (whole days from the first purchase day).
        assertThat(f.repeatPurchases()).isEqualTo(2);
        assertThat(f.firstToLastWeeks()).isCloseTo(90 / 7.0, within(1e-9));
        assertThat(f.firstToCutoffWeeks()).isCloseTo(141 / 7.0, within(1e-9));
        assertThat(f.repeatMonetary()).isEqualTo(75);
    }

    @Test
    void nothingAfterTheCutoffReachesAFeature() {
        List<Happening> later = new ArrayList<>(before());
        for (Kind k : Kind.values()) {
            later.add(new Happening(k, CUTOFF.plusSeconds(1), 500));
            later.add(new Happening(k, CUTOFF.plusSeconds(40 * 86_400L), 500));
        }
        ProfileFeatures without = PointInTimeFeatures.at(new CustomerHistory("a", ADDED, 2, before()), CUTOFF);
        ProfileFeatures with = PointInTimeFeatures.at(new CustomerHistory("a", ADDED, 2, later), CUTOFF);
        assertThat(with).isEqualTo(without);
    }

    @Test
    void aCustomerWhoNeverBoughtHasNoPurchaseRecencyButATenure() {
        ProfileFeatures f = PointInTimeFeatures.at(new CustomerHistory("b", ADDED, 0, List.of()), CUTOFF);
        assertThat(f.daysSinceLastPurchase()).isNaN();
        assertThat(f.recencyDays()).isEqualTo(f.tenureDays());
        assertThat(f.row(FeatureToggles.ALL_ON)[8]).isNaN();
    }

    @Test
    void aSwitchedOffFeatureReadsAsMissing() {
        ProfileFeatures f = PointInTimeFeatures.at(new CustomerHistory("a", ADDED, 2, before()), CUTOFF);
        float[] row = f.row(new FeatureToggles(java.util.Set.of("tier", "moments_decline")));
        assertThat(row[ProfileFeatures.NAMES.indexOf("tier")]).isNaN();
        assertThat(row[ProfileFeatures.NAMES.indexOf("moments_decline")]).isNaN();
        assertThat(row[ProfileFeatures.NAMES.indexOf("purchase_days")]).isEqualTo(3);
    }
}
