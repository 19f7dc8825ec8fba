package dev.siyu.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Customer groups and their members ({@code GROUP#<chatId>}: {@code GROUP} / {@code M#<member>}),
 * for the SOP calendar, graduation and pruning.
 */
public interface GroupStore {
    void save(Group group);

    Optional<Group> group(String tenant, String chatId);

    /** Every active group of the tenant. */
    List<Group> groups(String tenant);

    void addMember(String tenant, String chatId, String customerId, Instant at);

    void removeMember(String tenant, String chatId, String customerId, Instant at);

    List<Member> members(String tenant, String chatId);

    /**
     * @param groupType the group_config type name; null when the group is not one of ours
     * @param owner     the staff member who owns it and confirms its message drafts
     */
    record Group(String tenant, String chatId, String name, String groupType, String owner, int memberCount,
                 String status, Instant createdAt) { }

    record Member(String customerId, Instant joinedAt) { }
}
