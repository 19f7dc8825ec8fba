package dev.siyu.core.sidebar;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The customer as the sidebar shows them to the staff member chatting with them.
 *
 * @param stage        the lifecycle stage (new, growth, mature, dormant, ...); null before the daily rules ran
 * @param tags         the customer's tags, sorted
 * @param tagCatalog   the blueprint's tag dimensions (WeCom tag groups) and their tags: what staff may add
 * @param contactSince when this staff member and the customer became contacts
 * @param recent       the latest timeline events, newest first
 */
public record CustomerCard(String customerId, String externalUserId, String name, String avatar, String channelName,
                           String stage, List<String> tags, List<dev.siyu.core.config.TagSystem.TagDimension> tagCatalog, Instant contactSince,
                           Instant lastInteractionAt, Instant firstReplyAt, double totalSpend, int orderCount,
                           boolean consentWithdrawn, List<String> groups, List<Moment> recent) {
    public CustomerCard {
        tags = List.copyOf(tags);
        tagCatalog = List.copyOf(tagCatalog);
        groups = List.copyOf(groups);
        recent = List.copyOf(recent);
    }

    /** One timeline event as the page lists it. */
    public record Moment(Instant at, String kind, String staffUserId, Map<String, String> details) {
        public Moment {
            details = Map.copyOf(details);
        }
    }
}
