package dev.siyu.core.event;

import java.time.Instant;
import java.util.List;

/**
 * A decrypted, validated WeCom callback in the operator's terms. The adapter in shared/wecom
 * turns the XML into one of these; nothing downstream sees XML.
 */
public sealed interface WeComEvent {

    /** WeCom's own CreateTime (second precision); part of the dedup key. */
    Instant createdAt();

    /** The key WeCom retries share: ChangeType|UserID|ExternalUserID|ChatId|TagId|CreateTime. */
    default DedupKey dedupKey() {
        return DedupKey.of(this);
    }

    /** A customer added a staff member (or, half=true, added them before the staff accepted). */
    record ContactAdded(String staffUserId, String externalUserId, String state, String welcomeCode,
                        boolean half, Instant createdAt) implements WeComEvent { }

    record ContactEdited(String staffUserId, String externalUserId, Instant createdAt) implements WeComEvent { }

    /** The staff member removed the customer (del_external_contact). */
    record ContactDeleted(String staffUserId, String externalUserId, String source, Instant createdAt)
            implements WeComEvent { }

    /** The customer removed the staff member (del_follow_user). */
    record FollowUserDeleted(String staffUserId, String externalUserId, Instant createdAt) implements WeComEvent { }

    record TransferFailed(String staffUserId, String externalUserId, String failReason, Instant createdAt)
            implements WeComEvent { }

    record ChatCreated(String chatId, Instant createdAt) implements WeComEvent { }

    /** updateDetail is WeCom's UpdateDetail (add_member, del_member, change_owner, ...). */
    record ChatUpdated(String chatId, String updateDetail, int joinScene, int quitScene, int memberChangeCount,
                       List<String> memberChanges, Instant createdAt) implements WeComEvent { }

    record ChatDismissed(String chatId, Instant createdAt) implements WeComEvent { }

    /** changeType is create, update, delete or shuffle; tagType is tag or tag_group. */
    record TagChanged(String tagId, String tagType, String changeType, String strategyId, Instant createdAt)
            implements WeComEvent { }

    /** Anything WeCom may send that we do not act on yet: recorded and answered, never retried. */
    record Unhandled(String event, String changeType, String fromUser, Instant createdAt) implements WeComEvent { }
}
