package dev.siyu.core.schedule;

import dev.siyu.core.port.GroupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Groups and members; joining and leaving move the member count as the callback's group summary does. */
final class InMemoryGroups implements GroupStore {
    private final Map<String, Group> groups = new LinkedHashMap<>();
    private final Map<String, Map<String, Member>> members = new LinkedHashMap<>();

    private static String key(String tenant, String chatId) {
        return tenant + "|" + chatId;
    }

    /** As the table does: the count given is taken for a new group only; after that joins and leaves move it. */
    @Override
    public synchronized void save(Group group) {
        Group known = groups.get(key(group.tenant(), group.chatId()));
        groups.put(key(group.tenant(), group.chatId()), known == null ? group : new Group(group.tenant(), group.chatId(),
                group.name(), group.groupType(), group.owner(), known.memberCount(), group.status(), group.createdAt()));
    }

    @Override
    public synchronized Optional<Group> group(String tenant, String chatId) {
        return Optional.ofNullable(groups.get(key(tenant, chatId)));
    }

    @Override
    public synchronized List<Group> groups(String tenant) {
        return groups.values().stream().filter(g -> g.tenant().equals(tenant) && "active".equals(g.status())).toList();
    }

    @Override
    public synchronized void addMember(String tenant, String chatId, String customerId, Instant at) {
        Map<String, Member> m = members.computeIfAbsent(key(tenant, chatId), k -> new LinkedHashMap<>());
        if (m.put(customerId, new Member(customerId, at)) == null) {
            bump(tenant, chatId, 1);
        }
    }

    @Override
    public synchronized void removeMember(String tenant, String chatId, String customerId, Instant at) {
        Map<String, Member> m = members.get(key(tenant, chatId));
        if (m != null && m.remove(customerId) != null) {
            bump(tenant, chatId, -1);
        }
    }

    @Override
    public synchronized List<Member> members(String tenant, String chatId) {
        return new ArrayList<>(members.getOrDefault(key(tenant, chatId), Map.of()).values());
    }

    private void bump(String tenant, String chatId, int delta) {
        Group g = groups.get(key(tenant, chatId));
        if (g != null) {
            groups.put(key(tenant, chatId), new Group(g.tenant(), g.chatId(), g.name(), g.groupType(), g.owner(),
                    g.memberCount() + delta, g.status(), g.createdAt()));
        }
    }
}
