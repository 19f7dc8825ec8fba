package dev.siyu.store;

import dev.siyu.core.port.TransferLedger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link TransferLedger} as one small item per open pair in the tenant's {@code T#<t>#TRANSFERS}
 * partition ({@code PAIR#<handover>#<takeover>}): the poll's one Query reads them all. No TTL: a pair
 * closes when its transfers are settled, and an open one that is not needed costs one profile walk.
 */
public final class DynamoTransferLedger implements TransferLedger {
    private static final String PAIR = "PAIR#";
    private static final String HANDOVER = "handover";
    private static final String TAKEOVER = "takeover";
    private static final String OPENED_AT = "opened_at";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoTransferLedger(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public void open(String tenant, String handover, String takeover, Instant at) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key(tenant, handover, takeover));
        item.put(HANDOVER, AttributeValue.fromS(handover));
        item.put(TAKEOVER, AttributeValue.fromS(takeover));
        item.put(OPENED_AT, AttributeValue.fromS(at.toString()));
        meter.write(dynamo.putItem(b -> b.tableName(table).item(item).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                .consumedCapacity());
    }

    @Override
    public List<Pair> openPairs(String tenant) {
        return QueryPages.all(dynamo, table, meter, b -> b.keyConditionExpression("#pk = :pk")
                .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant))))
                .consistentRead(true))
                .stream().map(i -> new Pair(i.get(HANDOVER).s(), i.get(TAKEOVER).s(), Instant.parse(i.get(OPENED_AT).s())))
                .toList();
    }

    @Override
    public void close(String tenant, String handover, String takeover, Instant openedAt) {
        try {
            meter.write(dynamo.deleteItem(b -> b.tableName(table).key(key(tenant, handover, takeover))
                    .conditionExpression("#at = :seen")
                    .expressionAttributeNames(Map.of("#at", OPENED_AT))
                    .expressionAttributeValues(Map.of(":seen", AttributeValue.fromS(openedAt.toString())))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (ConditionalCheckFailedException reopened) {
            // Opened again since the poll read it (or already closed): the next poll decides.
            meter.rejectedWrite(1);
        }
    }

    private static String partition(String tenant) {
        return SiyuTable.tenant(tenant) + "#TRANSFERS";
    }

    /** User ids carry no '#' (WeCom: letters, digits, '_', '-', '.', '@'), so the sort key splits unambiguously. */
    private static Map<String, AttributeValue> key(String tenant, String handover, String takeover) {
        return SiyuTable.key(partition(tenant), PAIR + handover + "#" + takeover);
    }
}
