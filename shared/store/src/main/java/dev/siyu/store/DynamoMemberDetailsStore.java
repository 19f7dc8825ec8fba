package dev.siyu.store;

import dev.siyu.core.miniapp.MemberDetails;
import dev.siyu.core.miniapp.MemberDetailsJson;
import dev.siyu.core.miniapp.MemberDetailsStore;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link MemberDetailsStore} as one item in the customer's partition, {@code T#<t>#C#<id>} / {@value #SK}: the
 * details as one JSON document and a version, each write one conditional PutItem over the version read. The
 * sort key is outside the state ({@code S#}) and timeline ({@code EV#}) ranges, so reading a profile's state or
 * history never reads it. The phone in it is sealed (PhoneSeal); the alias that finds a customer by phone is
 * the keyed hash, as for every phone.
 */
public final class DynamoMemberDetailsStore implements MemberDetailsStore {
    static final String SK = "MINIAPP";
    private static final String DOC = "doc";
    private static final String VERSION = "ver";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoMemberDetailsStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public Optional<MemberDetails> details(String tenant, String customerId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, customerId)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        if (!r.hasItem() || r.item().get(DOC) == null) {
            return Optional.empty();
        }
        return Optional.of(MemberDetailsJson.read(r.item().get(DOC).s(), Attrs.number(r.item(), VERSION)));
    }

    @Override
    public boolean save(String tenant, MemberDetails d) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, d.customerId()));
        item.put(DOC, AttributeValue.fromS(MemberDetailsJson.write(d)));
        item.put(VERSION, Attrs.number(d.version() + 1));
        try {
            meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression(d.version() == 0 ? "attribute_not_exists(#v)" : "#v = :v")
                    .expressionAttributeNames(Map.of("#v", VERSION))
                    .expressionAttributeValues(d.version() == 0 ? null : Map.of(":v", Attrs.number(d.version())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException newer) {
            meter.rejectedWrite(1.0);
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String tenant, String customerId) {
        return SiyuTable.key(SiyuTable.customerPk(tenant, customerId), SK);
    }
}
