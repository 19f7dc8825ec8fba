package dev.siyu.core.port;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Customer groups and their members ({@code GROUP#<chatId>}: {@code GROUP} / {@code M#<member>}),
 * for the SOP calendar, graduation, pruning, invitations and the membership diff of the group callbacks.
 */
public interface GroupStore {
    /**
     * Sets what the group is (name, type, owner, status, creation time). The member count is taken only for a
     * group new to the store; the join way and welcome template are set when the group carries them and left as
     * stored when it does not (a callback's save knows neither).
     */
    void save(Group group);

    Optional<Group> group(String tenant, String chatId);

    /** Every active group of the tenant. */
    List<Group> groups(String tenant);

    /** A member already in the group changes nothing (a redelivered join is not counted twice). */
    void addMember(String tenant, String chatId, Member member);

    default void addMember(String tenant, String chatId, String customerId, Instant at) {
        addMember(tenant, chatId, new Member(customerId, at, null));
    }

    void removeMember(String tenant, String chatId, String customerId, Instant at);

    List<Member> members(String tenant, String chatId);

    /** The group's join way (add_join_way's config_id and its QR code), which invitations carry. */
    void setJoinWay(String tenant, String chatId, String configId, String qrCode);

    /** The group welcome template WeCom holds for the group's auto_welcome. */
    void setWelcomeTemplate(String tenant, String chatId, String templateId);

    /**
     * @param groupType         the group_config type name; null when the group is not one of ours
     * @param owner             the staff member who owns it and confirms its message drafts
     * @param joinConfigId      add_join_way's config_id; null until the group has a join way
     * @param joinQr            the join way's QR code URL, the link of every invite to this group
     * @param welcomeTemplateId group_welcome_template's template_id for the type's auto_welcome; null when none
     */
    record Group(String tenant, String chatId, String name, String groupType, String owner, int memberCount,
                 String status, Instant createdAt, String joinConfigId, String joinQr, String welcomeTemplateId) {
        public Group(String tenant, String chatId, String name, String groupType, String owner, int memberCount,
                     String status, Instant createdAt) {
            this(tenant, chatId, name, groupType, owner, memberCount, status, createdAt, null, null, null);
        }

        /** Where an invite to this group points: its join way's QR code, or null while it has none. */
        public String inviteLink() {
            return joinQr;
        }
    }

    /**
     * @param externalUserId the member's WeCom external_userid, so a membership diff needs no look-up of members
     *                       it already knows; null for members stored before it was kept
     */
    record Member(String customerId, Instant joinedAt, String externalUserId) {
        public Member(String customerId, Instant joinedAt) {
            this(customerId, joinedAt, null);
        }
    }
}
