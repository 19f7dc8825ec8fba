package dev.siyu.store;

import dev.siyu.core.port.GroupStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.Update;

/**
 * A customer group's items: its summary {@code T#<t>#GROUP#<chatId>} / {@code GROUP}, the same
 * summary again as the tenant's listing entry {@code T#<t>#GROUPS} / {@code <chatId>} (so all groups
 * are one Query), and its members {@code T#<t>#GROUP#<chatId>} / {@code M#<customerId>}.
 *
 * <p>The two summaries are only ever changed together, by one transaction with the same update on
 * both, so neither can drift from the other.
 */
final class GroupItems {
    static final String NAME = "name";
    static final String GROUP_TYPE = "group_type";
    static final String OWNER = "owner";
    static final String STATUS = "status";
    static final String MEMBER_COUNT = "member_count";
    static final String CREATED_AT = "created_at";
    static final String UPDATED_AT = "updated_at";
    static final String JOINED_AT = "joined_at";
    static final String EXTERNAL_USERID = "external_userid";
    static final String JOIN_CONFIG_ID = "join_config_id";
    static final String JOIN_QR = "join_qr";
    static final String WELCOME_TEMPLATE_ID = "welcome_template_id";

    private GroupItems() {
    }

    static Map<String, AttributeValue> groupKey(String tenant, String chatId) {
        return SiyuTable.key(SiyuTable.groupPk(tenant, chatId), SiyuTable.GROUP_SK);
    }

    static Map<String, AttributeValue> listingKey(String tenant, String chatId) {
        return SiyuTable.key(SiyuTable.groupListPk(tenant), chatId);
    }

    static Map<String, AttributeValue> memberKey(String tenant, String chatId, String customerId) {
        if (customerId == null || customerId.isEmpty()) {
            throw new IllegalArgumentException("customer id must be non-empty");
        }
        return SiyuTable.key(SiyuTable.groupPk(tenant, chatId), SiyuTable.MEMBER_SK_PREFIX + customerId);
    }

    /** The same update on the group's item and on its listing entry, for one transaction. */
    static List<TransactWriteItem> updateSummaries(String table, String tenant, String chatId, String update,
                                                   Map<String, String> names, Map<String, AttributeValue> values) {
        List<TransactWriteItem> items = new ArrayList<>(2);
        for (Map<String, AttributeValue> key : List.of(groupKey(tenant, chatId), listingKey(tenant, chatId))) {
            items.add(TransactWriteItem.builder().update(Update.builder().tableName(table).key(key)
                    .updateExpression(update)
                    .expressionAttributeNames(names)
                    // DynamoDB refuses an empty value map; an update of REMOVEs only has no values.
                    .expressionAttributeValues(values.isEmpty() ? null : values)
                    .build()).build());
        }
        return items;
    }

    static GroupStore.Group group(String tenant, String chatId, Map<String, AttributeValue> item) {
        // Clamped: a group joined before the suite counted it can see more leaves than joins.
        long count = Math.max(0, Attrs.number(item, MEMBER_COUNT));
        return new GroupStore.Group(tenant, chatId, Attrs.string(item, NAME), Attrs.string(item, GROUP_TYPE),
                Attrs.string(item, OWNER), (int) Math.min(Integer.MAX_VALUE, count), Attrs.string(item, STATUS),
                Attrs.instant(item, CREATED_AT), Attrs.string(item, JOIN_CONFIG_ID), Attrs.string(item, JOIN_QR),
                Attrs.string(item, WELCOME_TEMPLATE_ID));
    }
}
