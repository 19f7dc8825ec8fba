package dev.siyu.memory;

import dev.siyu.core.port.GroupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

public final class MemoryGroupStore implements GroupStore {
    private final Map<String, Group> groups = new ConcurrentHashMap<>();
    private final Map<String, Map<String, Member>> members = new ConcurrentHashMap<>();

    /** As in DynamoDB: the count only for a new group; the join way and welcome template set when given, else kept. */
    @Override
    public void save(Group group) {
        groups.merge(group.tenant() + "#" + group.chatId(), group, (old, g) -> new Group(g.tenant(), g.chatId(),
                g.name(), g.groupType(), g.owner(), old.memberCount(), g.status(), g.createdAt(),
                g.joinConfigId() != null ? g.joinConfigId() : old.joinConfigId(),
                g.joinQr() != null ? g.joinQr() : old.joinQr(),
                g.welcomeTemplateId() != null ? g.welcomeTemplateId() : old.welcomeTemplateId()));
    }

    @Override
    public Optional<Group> group(String tenant, String chatId) {
        return Optional.ofNullable(groups.get(tenant + "#" + chatId));
    }

    @Override
    public List<Group> groups(String tenant) {
        return groups.values().stream().filter(g -> g.tenant().equals(tenant) && "active".equals(g.status()))
                .sorted(Comparator.comparing(Group::chatId)).toList();
    }

    @Override
    public void addMember(String tenant, String chatId, Member member) {
        if (members.computeIfAbsent(tenant + "#" + chatId, k -> new ConcurrentHashMap<>())
                .putIfAbsent(member.customerId(), member) == null) {
            adjust(tenant, chatId, 1);
        }
    }

    @Override
    public void removeMember(String tenant, String chatId, String customerId, Instant at) {
        Map<String, Member> m = members.get(tenant + "#" + chatId);
        if (m != null && m.remove(customerId) != null) {
            adjust(tenant, chatId, -1);
        }
    }

    @Override
    public List<Member> members(String tenant, String chatId) {
        return new ArrayList<>(members.getOrDefault(tenant + "#" + chatId, Map.of()).values());
    }

    @Override
    public void setJoinWay(String tenant, String chatId, String configId, String qrCode) {
        groups.computeIfPresent(tenant + "#" + chatId, (k, g) -> new Group(g.tenant(), g.chatId(), g.name(),
                g.groupType(), g.owner(), g.memberCount(), g.status(), g.createdAt(), configId, qrCode,
                g.welcomeTemplateId()));
    }

    @Override
    public void setWelcomeTemplate(String tenant, String chatId, String templateId) {
        groups.computeIfPresent(tenant + "#" + chatId, (k, g) -> new Group(g.tenant(), g.chatId(), g.name(),
                g.groupType(), g.owner(), g.memberCount(), g.status(), g.createdAt(), g.joinConfigId(), g.joinQr(),
                templateId));
    }

    private void adjust(String tenant, String chatId, int delta) {
        groups.computeIfPresent(tenant + "#" + chatId, (k, g) -> new Group(g.tenant(), g.chatId(), g.name(),
                g.groupType(), g.owner(), g.memberCount() + delta, g.status(), g.createdAt(), g.joinConfigId(),
                g.joinQr(), g.welcomeTemplateId()));
    }
}
