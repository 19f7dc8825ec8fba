package dev.siyu.core.group;

import dev.siyu.core.config.GroupType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.GroupStore.Group;
import dev.siyu.core.port.GroupStore.Member;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.GroupChat;
import dev.siyu.core.port.WeComApi.GroupChatMember;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Brings a customer group up to what WeCom says it is (docs/groups.md): on every change_external_chat create
 * and update, {@code groupchat/get} gives the owner, name and members; the group's summary is saved (its type:
 * the stored one, which an operator may have assigned, else the blueprint's first matching rule), and the
 * customer members are diffed against the stored member list. Each join becomes {@code joined_group} and each
 * leave {@code left_group} on the customer's timeline and profile, and a journey trigger.
 *
 * <p>Safe to redo, whole or from any point (a WeCom retry, a crash, two callbacks of the same group at once):
 * the customer's record is written before the member list, so a redo finds the same difference again; the
 * profile change decides from the latest copy whether the join or leave is recorded already (then it writes
 * no event); a join's event id is derived from the chat, the member and WeCom's join_time, the same on every
 * redo. Leaves are not in groupchat/get at all, so a leave is known only by its absence and is recorded once
 * by the profile's state.
 */
public final class GroupSync {
    public static final String JOINED = "joined_group";
    public static final String LEFT = "left_group";

    private final ScrmConfig config;
    private final GroupStore groups;
    private final CustomerStore customers;
    private final TenantLog tenantLog;
    private final WeComApi wecom;
    private final JourneyQueue journeys;
    private final GroupSetup setup;
    private final Ids ids;
    private final CustomerLookup lookup;

    public GroupSync(ScrmConfig config, GroupStore groups, CustomerStore customers, TenantLog tenantLog,
                     WeComApi wecom, JourneyQueue journeys, Ids ids) {
        this.config = config;
        this.groups = groups;
        this.customers = customers;
        this.tenantLog = tenantLog;
        this.wecom = wecom;
        this.journeys = journeys;
        this.setup = new GroupSetup(config, groups, wecom);
        this.ids = ids;
        this.lookup = new CustomerLookup(customers);
    }

    /** What one sync did: the group as saved, the customers who joined and who left. */
    public record Synced(Group group, List<String> joined, List<String> left, Map<String, String> setup) { }

    /**
     * @param at        the callback's CreateTime: when the leaves it reports happened
     * @param logged    the callback's own entry for the group's log (named by the callback: written once)
     */
    public Synced sync(String chatId, Instant at, TimelineEvent logged) {
        String tenant = config.tenant();
        GroupChat chat;
        try {
            chat = wecom.groupChat(chatId);
        } catch (WeComApiException e) {
            if (!e.refused() || e.errcode() == WeComApiException.RATE_LIMITED
                    || e.errcode() == WeComApiException.TOKEN_EXPIRED || e.errcode() == WeComApiException.TOKEN_INVALID) {
                throw e; // WeCom's retry of the callback asks again
            }
            // A refusal a retry would get again (a group outside the app's visible range, one WeCom no longer
            // has): logged for the operator, the callback answered.
            Map<String, String> details = new LinkedHashMap<>(logged.details());
            details.put("groupchat_get_errcode", Integer.toString(e.errcode()));
            tenantLog.recordGroup(tenant, chatId, "active", 0, new TimelineEvent(logged.eventId(), logged.at(),
                    logged.kind(), logged.staffUserId(), details));
            return new Synced(groups.group(tenant, chatId).orElse(null), List.of(), List.of(), details);
        }
        Optional<Group> stored = groups.group(tenant, chatId);
        String type = stored.map(Group::groupType).orElse(null);
        if (type == null) {
            GroupType byRule = GroupType.byRule(config.groupTypes(), chat.owner(), chat.name());
            type = byRule == null ? null : byRule.name();
        }
        Group group = new Group(tenant, chatId, chat.name(), type, chat.owner(), 0, "active",
                chat.createTime() == null ? stored.map(Group::createdAt).orElse(at) : chat.createTime());
        groups.save(group);
        tenantLog.recordGroup(tenant, chatId, "active", 0, logged);
        Map<String, String> made = setup.ensure(groups.group(tenant, chatId).orElse(group));

        List<Member> members = groups.members(tenant, chatId);
        Map<String, Member> byExternal = new HashMap<>();
        Map<String, Member> byCustomer = new HashMap<>();
        for (Member m : members) {
            byCustomer.put(m.customerId(), m);
            if (m.externalUserId() != null) {
                byExternal.put(m.externalUserId(), m);
            }
        }
        Map<String, GroupChatMember> current = new LinkedHashMap<>();
        for (GroupChatMember m : chat.members()) {
            if (m.customer()) {
                current.put(m.userId(), m);
            }
        }
        List<String> joined = new ArrayList<>();
        for (GroupChatMember m : current.values()) {
            if (byExternal.containsKey(m.userId())
                    || byCustomer.containsKey(CustomerLookup.wecomCustomerId(m.userId()))) {
                continue;
            }
            joined.add(join(group, m, at));
        }
        List<String> left = new ArrayList<>();
        for (Member m : members) {
            String external = m.externalUserId() != null ? m.externalUserId()
                    : m.customerId().startsWith("wx-") ? m.customerId().substring(3) : null;
            if (external != null && current.containsKey(external)) {
                continue;
            }
            if (external == null && current.keySet().stream()
                    .anyMatch(e -> lookup.customerIdOf(tenant, e).equals(m.customerId()))) {
                continue;
            }
            leave(group, m, at);
            left.add(m.customerId());
        }
        return new Synced(groups.group(tenant, chatId).orElse(group), joined, left, made);
    }

    /** A dismissed group: its status; its members did not leave it, so nobody gets left_group. */
    public void dismissed(String chatId, Instant at, TimelineEvent logged) {
        String tenant = config.tenant();
        Optional<Group> stored = groups.group(tenant, chatId);
        groups.save(stored.map(g -> new Group(tenant, chatId, g.name(), g.groupType(), g.owner(), g.memberCount(),
                "dismissed", g.createdAt())).orElse(new Group(tenant, chatId, null, null, null, 0, "dismissed", at)));
        tenantLog.recordGroup(tenant, chatId, "dismissed", 0, logged);
    }

    private String join(Group group, GroupChatMember m, Instant at) {
        String tenant = group.tenant();
        Optional<CustomerProfile> profile = lookup.byExternalUserId(tenant, m.userId());
        String customerId = profile.map(CustomerProfile::customerId).orElse(CustomerLookup.wecomCustomerId(m.userId()));
        Instant joinedAt = m.joinTime() == null ? at : m.joinTime();
        String type = group.groupType() == null ? "" : group.groupType();
        if (profile.isPresent()) {
            Map<String, String> details = new LinkedHashMap<>();
            details.put("chat_id", group.chatId());
            details.put("group_type", type);
            details.put("join_scene", Integer.toString(m.joinScene()));
            TimelineEvent event = new TimelineEvent(ids.derived("ev", joinedAt,
                    JOINED + "|" + group.chatId() + "|" + m.userId() + "|" + joinedAt.getEpochSecond()),
                    joinedAt, JOINED, group.owner(), details);
            List<TimelineEvent> events = new ArrayList<>(List.of(event));
            customers.update(tenant, customerId, latest -> {
                events.clear();
                if (latest.activity().groups().containsKey(group.chatId())) {
                    return null;
                }
                events.add(event);
                return latest.withActivity(latest.activity().joinedGroup(group.chatId(), type)
                        .interacted(joinedAt, false), joinedAt);
            }, events);
            // After the record: a worker that picks the trigger up reads the membership it starts from. Sent on
            // a redo as well; the journey starter takes one trigger per customer and kind.
            journeys.enqueue(new JourneyTrigger(tenant, customerId, JOINED, joinedAt, details));
        }
        groups.addMember(tenant, group.chatId(), new Member(customerId, joinedAt, m.userId()));
        return customerId;
    }

    private void leave(Group group, Member m, Instant at) {
        String tenant = group.tenant();
        Map<String, String> details = new LinkedHashMap<>();
        details.put("chat_id", group.chatId());
        details.put("group_type", group.groupType() == null ? "" : group.groupType());
        TimelineEvent event = new TimelineEvent(ids.derived("ev", at,
                LEFT + "|" + group.chatId() + "|" + m.customerId() + "|" + at.getEpochSecond()), at, LEFT,
                group.owner(), details);
        List<TimelineEvent> events = new ArrayList<>(List.of(event));
        java.util.concurrent.atomic.AtomicBoolean customer = new java.util.concurrent.atomic.AtomicBoolean();
        customers.update(tenant, m.customerId(), latest -> {
            customer.set(true);
            events.clear();
            if (!latest.activity().groups().containsKey(group.chatId())) {
                return null;
            }
            events.add(event);
            return latest.withActivity(latest.activity().leftGroup(group.chatId()), at);
        }, events);
        // Also on a redo that finds the leave recorded: the trigger of the first attempt may be the part it lost.
        if (customer.get()) {
            journeys.enqueue(new JourneyTrigger(tenant, m.customerId(), LEFT, at, details));
        }
        groups.removeMember(tenant, group.chatId(), m.customerId(), at);
    }
}
