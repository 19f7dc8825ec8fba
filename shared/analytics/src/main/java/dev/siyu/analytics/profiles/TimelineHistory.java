package dev.siyu.analytics.profiles;

import dev.siyu.analytics.scoring.CustomerHistory;
import dev.siyu.analytics.scoring.Happening;
import dev.siyu.analytics.scoring.Happening.Kind;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The adapter from the product's profile and timeline to the scoring features' history. Timeline kinds it
 * reads: {@code purchase} (detail {@code amount}), {@code reply}, {@code message_opened}, {@code moments_interaction},
 * {@code group_message} (a customer's post), {@code joined_group}, {@code left_group}, {@code group_muted},
 * {@code perk_claimed} (a coupon used) and {@code coupon_issued}. A coupon counts as ignored once
 * {@link #COUPON_WINDOW} has passed after it was issued without a claim; the ignore is dated then, not at the
 * issue, so a scoring cutoff inside the window does not see it (no leakage). The tier is the profile's
 * {@code member_tier} identity when it holds a number (0 otherwise).
 */
public final class TimelineHistory {
    public static final Duration COUPON_WINDOW = Duration.ofDays(14);

    private TimelineHistory() {
    }

    public static CustomerHistory of(CustomerScorer.Customer c) {
        CustomerProfile p = c.profile();
        List<Happening> out = new ArrayList<>();
        List<Instant> issued = new ArrayList<>();
        List<Instant> claimed = new ArrayList<>();
        for (TimelineEvent e : c.timeline()) {
            Kind kind = switch (e.kind()) {
                case "purchase" -> Kind.PURCHASE;
                case "reply" -> Kind.REPLY;
                case "message_opened" -> Kind.MESSAGE_OPENED;
                case "moments_interaction" -> Kind.MOMENTS_INTERACTION;
                case "group_message" -> e.staffUserId() == null ? Kind.GROUP_POST : null;
                case "joined_group" -> Kind.GROUP_JOINED;
                case "left_group" -> Kind.GROUP_LEFT;
                case "group_muted" -> Kind.GROUP_MUTED;
                case "perk_claimed" -> Kind.COUPON_USED;
                default -> null;
            };
            if ("coupon_issued".equals(e.kind())) {
                issued.add(e.at());
            }
            if (kind == Kind.COUPON_USED) {
                claimed.add(e.at());
            }
            if (kind != null) {
                out.add(new Happening(kind, e.at(), kind == Kind.PURCHASE ? amount(e) : 0));
            }
        }
        for (Instant at : issued) {
            Instant expires = at.plus(COUPON_WINDOW);
            boolean used = claimed.stream().anyMatch(u -> !u.isBefore(at) && !u.isAfter(expires));
            if (!used) {
                out.add(Happening.of(Kind.COUPON_IGNORED, expires));
            }
        }
        return new CustomerHistory(p.customerId(), p.createdAt(), tier(p), out);
    }

    private static double amount(TimelineEvent e) {
        String a = e.details().get("amount");
        try {
            return a == null ? 0 : Double.parseDouble(a);
        } catch (NumberFormatException bad) {
            return 0;
        }
    }

    private static int tier(CustomerProfile p) {
        String t = p.identities().get("member_tier");
        try {
            return t == null ? 0 : Integer.parseInt(t.trim());
        } catch (NumberFormatException bad) {
            return 0;
        }
    }
}
