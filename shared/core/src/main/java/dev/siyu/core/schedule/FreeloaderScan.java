package dev.siyu.core.schedule;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.ProfileScan;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * The daily abnormal-claims check: a customer who claimed
 * {@link dev.siyu.core.config.Community#abnormalClaimsWithoutPurchase()} perks or more and never bought
 * anything is flagged {@value #ABNORMAL_CLAIMS} (the {@link PerkPolicy} then answers FLAGGED) with a
 * {@code flagged_abnormal_claims} timeline event, once. It reads {@code Activity.perksClaimed}, the
 * lifetime count, which is exactly "claims without a purchase" for a customer with no order.
 */
public final class FreeloaderScan {
    public static final String ABNORMAL_CLAIMS = "abnormal_claims";

    private final ScrmConfig config;
    private final ProfileScan profiles;
    private final CustomerStore customers;
    private final Ids ids;

    public FreeloaderScan(ScrmConfig config, ProfileScan profiles, CustomerStore customers, Ids ids) {
        this.config = config;
        this.profiles = profiles;
        this.customers = customers;
        this.ids = ids;
    }

    public record Summary(int profiles, int flagged, int alreadyFlagged) { }

    public Summary run(Instant now) {
        int threshold = config.community().abnormalClaimsWithoutPurchase();
        int[] counts = new int[3];
        // resumable like the daily rules' pass (ProfileScan#pass); flagging twice is prevented by the flag itself
        ProfileScan.Pass pass = profiles.pass(config.tenant(), "freeloaders#" + LocalDate.ofInstant(now, config.timezone()), p -> {
            counts[0]++;
            Activity a = p.activity();
            if (a.orderCount() > 0 || a.perksClaimed() < threshold) {
                return;
            }
            if (a.flags().contains(ABNORMAL_CLAIMS)) {
                counts[2]++;
                return;
            }
            customers.update(p.tenant(), p.customerId(), latest -> {
                Activity l = latest.activity();
                return l.orderCount() > 0 || l.flags().contains(ABNORMAL_CLAIMS) ? null
                        : latest.withActivity(l.flagged(ABNORMAL_CLAIMS), now);
            }, List.of(new TimelineEvent(
                    ids.next("ev", now), now, "flagged_abnormal_claims", null,
                    Map.of("perks_claimed", Integer.toString(a.perksClaimed()), "orders", "0",
                            "threshold", Integer.toString(threshold)))));
            counts[1]++;
        });
        pass.requireComplete();
        return new Summary(counts[0], counts[1], counts[2]);
    }
}
