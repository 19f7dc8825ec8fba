package dev.siyu.sim.journey;

import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Test set-up only: a journey test's starting point written straight onto the profile and timeline (a purchase,
 * consent, a reply, a group membership) with the journey trigger the production route would enqueue. The demo's
 * members go through the routes themselves (sim MiniProgramMembers: /miniapp/*, /ingest/orders; replies through
 * the sidebar; group joins as WeCom callbacks); these tests are about the journeys that follow, not the way in.
 */
final class MemberActions {
    private final String tenant;
    private final CustomerStore customers;
    private final GroupStore groups;
    private final JourneyQueue queue;
    private final Ids ids;

    MemberActions(String tenant, CustomerStore customers, GroupStore groups, JourneyQueue queue, Ids ids) {
        this.tenant = tenant;
        this.customers = customers;
        this.groups = groups;
        this.queue = queue;
        this.ids = ids;
    }

    void purchase(String customerId, double amount, String category, Instant at) {
        record(customerId, a -> a.purchased(amount, category, at), at, "purchase",
                Map.of("amount", String.format("%.2f", amount), "category", category));
    }

    void reply(String customerId, Instant at) {
        record(customerId, a -> a.interacted(at, true), at, "reply", Map.of());
    }

    void grantConsent(String customerId, Instant at) {
        record(customerId, a -> a.consentGranted(at), at, "consent_granted", null);
    }

    void withdrawConsent(String customerId, Instant at) {
        record(customerId, a -> a.consentWithdrawn(at), at, "consent_withdrawn", null);
    }

    void joinGroup(String customerId, String chatId, String groupType, Instant at) {
        groups.addMember(tenant, chatId, customerId, at);
        record(customerId, a -> a.joinedGroup(chatId, groupType).interacted(at, false), at, "joined_group",
                Map.of("chat_id", chatId, "group_type", groupType));
    }

    void leaveGroup(String customerId, String chatId, Instant at) {
        groups.removeMember(tenant, chatId, customerId, at);
        record(customerId, a -> a.leftGroup(chatId), at, "left_group", Map.of("chat_id", chatId));
    }

    /**
     * @param trigger the journey trigger's details, or null when the activity starts no journey
     */
    private void record(String customerId, UnaryOperator<Activity> change, Instant at, String kind,
                        Map<String, String> trigger) {
        Optional<CustomerProfile> p = customers.update(tenant, customerId,
                latest -> latest.withActivity(change.apply(latest.activity()), at),
                java.util.List.of(new TimelineEvent(ids.next("ev", at), at, kind, null,
                        trigger == null ? Map.of() : trigger)));
        if (p.isEmpty()) {
            return;
        }
        if (trigger != null) {
            queue.enqueue(new JourneyTrigger(tenant, customerId, kind, at, trigger));
        }
    }
}
