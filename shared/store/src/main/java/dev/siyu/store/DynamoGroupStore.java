package dev.siyu.store;

import dev.siyu.core.port.GroupStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;

/**
 * {@link GroupStore} on the items of {@link GroupItems}. The summary attributes ({@code status},
 * {@code member_count}, {@code updated_at}) are the ones {@link DynamoTenantLog#recordGroup} keeps
 * from the group callbacks, so both see the same group.
 *
 * <p>A member joining or leaving is one transaction: the member item (conditional, so a repeated
 * join or leave changes nothing) and the count on both summaries. Exact counts matter because
 * WeCom refuses a 501st member and invitations pick the group with the most room. 3 small items
 * transactionally: 6 write units. Saving a group: 2 items, 4 units.
 *
 * <p>Reads are eventually consistent (half the units): group lists feed invitations, the SOP
 * calendar and daily jobs, where a join seen a second late changes nothing.
 */
public final class DynamoGroupStore implements GroupStore {
    static final String ACTIVE = "active";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;
    private final Transactions transactions;

    public DynamoGroupStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
        this.transactions = new Transactions(dynamo, meter);
    }

    /**
     * Sets what the group is: name, type, owner, status, creation time (a null removes the value).
     * The member count is taken only for a group new to the store; after that it moves with
     * {@link #addMember}/{@link #removeMember}, so saving a group read a moment ago cannot undo a
     * join that happened since.
     */
    @Override
    public void save(Group group) {
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> sets = new ArrayList<>();
        List<String> removes = new ArrayList<>();
        Map<String, String> described = new HashMap<>();
        described.put(GroupItems.NAME, group.name());
        described.put(GroupItems.GROUP_TYPE, group.groupType());
        described.put(GroupItems.OWNER, group.owner());
        described.put(GroupItems.STATUS, group.status());
        described.put(GroupItems.CREATED_AT, group.createdAt() == null ? null : group.createdAt().toString());
        int i = 0;
        for (Map.Entry<String, String> e : described.entrySet()) {
            String name = "#a" + i;
            names.put(name, e.getKey());
            if (e.getValue() == null) {
                removes.add(name);
            } else {
                values.put(":v" + i, AttributeValue.fromS(e.getValue()));
                sets.add(name + " = :v" + i);
            }
            i++;
        }
        // The join way and welcome template: set when given, never removed by a save (a callback's save knows neither).
        Map<String, String> kept = new HashMap<>();
        kept.put(GroupItems.JOIN_CONFIG_ID, group.joinConfigId());
        kept.put(GroupItems.JOIN_QR, group.joinQr());
        kept.put(GroupItems.WELCOME_TEMPLATE_ID, group.welcomeTemplateId());
        for (Map.Entry<String, String> e : kept.entrySet()) {
            if (e.getValue() != null) {
                names.put("#a" + i, e.getKey());
                values.put(":v" + i, AttributeValue.fromS(e.getValue()));
                sets.add("#a" + i + " = :v" + i);
                i++;
            }
        }
        names.put("#count", GroupItems.MEMBER_COUNT);
        values.put(":count", Attrs.number(Math.max(0, group.memberCount())));
        sets.add("#count = if_not_exists(#count, :count)");
        String update = "SET " + String.join(", ", sets) + (removes.isEmpty() ? "" : " REMOVE " + String.join(", ", removes));
        transactions.write(GroupItems.updateSummaries(table, group.tenant(), group.chatId(), update, names, values));
    }

    @Override
    public Optional<Group> group(String tenant, String chatId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(GroupItems.groupKey(tenant, chatId))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty()
                ? Optional.of(GroupItems.group(tenant, chatId, r.item()))
                : Optional.empty();
    }

    /**
     * One Query of the tenant's listing. The status filter is applied by DynamoDB: it saves the
     * transfer, not units (filtered-out entries are read and charged all the same).
     */
    @Override
    public List<Group> groups(String tenant) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk")
                        .filterExpression("#status = :active")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#status", GroupItems.STATUS))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.groupListPk(tenant)),
                                ":active", AttributeValue.fromS(ACTIVE))))
                .stream().map(item -> GroupItems.group(tenant, item.get(SiyuTable.SK).s(), item)).toList();
    }

    /** A customer already in the group changes nothing (a redelivered join is not counted twice). */
    @Override
    public void addMember(String tenant, String chatId, Member m) {
        Map<String, AttributeValue> member = new HashMap<>(GroupItems.memberKey(tenant, chatId, m.customerId()));
        Attrs.putInstant(member, GroupItems.JOINED_AT, m.joinedAt());
        if (m.externalUserId() != null) {
            member.put(GroupItems.EXTERNAL_USERID, AttributeValue.fromS(m.externalUserId()));
        }
        TransactWriteItem put = TransactWriteItem.builder().put(Put.builder().tableName(table).item(member)
                .conditionExpression("attribute_not_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK)).build()).build();
        changeMembership(tenant, chatId, put, 1, m.joinedAt());
    }

    /** Both summaries, one transaction (4 units), as every summary change. */
    @Override
    public void setJoinWay(String tenant, String chatId, String configId, String qrCode) {
        transactions.write(GroupItems.updateSummaries(table, tenant, chatId, "SET #id = :id, #qr = :qr",
                Map.of("#id", GroupItems.JOIN_CONFIG_ID, "#qr", GroupItems.JOIN_QR),
                Map.of(":id", AttributeValue.fromS(configId), ":qr", AttributeValue.fromS(qrCode))));
    }

    @Override
    public void setWelcomeTemplate(String tenant, String chatId, String templateId) {
        transactions.write(GroupItems.updateSummaries(table, tenant, chatId, "SET #t = :t",
                Map.of("#t", GroupItems.WELCOME_TEMPLATE_ID), Map.of(":t", AttributeValue.fromS(templateId))));
    }

    /** A customer not in the group changes nothing. */
    @Override
    public void removeMember(String tenant, String chatId, String customerId, Instant at) {
        TransactWriteItem delete = TransactWriteItem.builder().delete(Delete.builder().tableName(table)
                .key(GroupItems.memberKey(tenant, chatId, customerId))
                .conditionExpression("attribute_exists(#pk)")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK)).build()).build();
        changeMembership(tenant, chatId, delete, -1, at);
    }

    private void changeMembership(String tenant, String chatId, TransactWriteItem memberWrite, int delta, Instant at) {
        List<TransactWriteItem> items = new ArrayList<>(3);
        items.add(memberWrite);
        items.addAll(GroupItems.updateSummaries(table, tenant, chatId, "SET #updated = :at ADD #count :delta",
                Map.of("#updated", GroupItems.UPDATED_AT, "#count", GroupItems.MEMBER_COUNT),
                Map.of(":at", AttributeValue.fromS(at.toString()), ":delta", Attrs.number(delta))));
        // false: the member's condition did not hold (already in, or already gone); nothing was written.
        transactions.write(items);
    }

    /** In customer id order. */
    @Override
    public List<Member> members(String tenant, String chatId) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :m)")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(
                                ":pk", AttributeValue.fromS(SiyuTable.groupPk(tenant, chatId)),
                                ":m", AttributeValue.fromS(SiyuTable.MEMBER_SK_PREFIX))))
                .stream()
                .map(item -> new Member(item.get(SiyuTable.SK).s().substring(SiyuTable.MEMBER_SK_PREFIX.length()),
                        Attrs.instant(item, GroupItems.JOINED_AT), Attrs.string(item, GroupItems.EXTERNAL_USERID)))
                .toList();
    }
}
