package dev.siyu.store;

import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * Enters profiles saved before the profiles index existed ({@link SiyuTable#PROFILES_INDEX}) into it, by
 * setting their two index attributes: until then the daily jobs, which read only the index, would not see
 * them. A one-off for a table deployed before issue 10, run by the operator with {@code ./siyu apply}
 * (functions may not Scan); safe to run again, it only touches profiles without the attributes.
 */
public final class ProfilesIndexBackfill {
    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public ProfilesIndexBackfill(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    /** Returns how many profiles were entered into the index. */
    public int run() {
        int entered = 0;
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            ScanResponse page = dynamo.scan(b -> b.tableName(table)
                    .filterExpression("#sk = :profile AND attribute_not_exists(#scan)")
                    .projectionExpression("#pk, #sk")
                    .expressionAttributeNames(Map.of("#sk", SiyuTable.SK, "#pk", SiyuTable.PK, "#scan", SiyuTable.SCAN_PK))
                    .expressionAttributeValues(Map.of(":profile", AttributeValue.fromS(SiyuTable.PROFILE_SK)))
                    .exclusiveStartKey(from)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.read(page.consumedCapacity());
            for (Map<String, AttributeValue> key : page.items()) {
                if (enter(key.get(SiyuTable.PK).s())) {
                    entered++;
                }
            }
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return entered;
    }

    /** pk is {@code T#<tenant>#C#<customerId>}; the attributes are the ones {@link ProfileItems} writes. */
    private boolean enter(String pk) {
        int tenantEnd = pk.indexOf("#C#");
        if (!pk.startsWith("T#") || tenantEnd < 0) {
            return false;
        }
        String tenant = pk.substring(2, tenantEnd);
        String customerId = pk.substring(tenantEnd + 3);
        Map<String, AttributeValue> values = new HashMap<>();
        values.put(":spk", AttributeValue.fromS(SiyuTable.profileShardPk(tenant, SiyuTable.profileShard(customerId))));
        values.put(":ssk", AttributeValue.fromS(customerId));
        try {
            meter.write(dynamo.updateItem(b -> b.tableName(table).key(SiyuTable.profileKey(tenant, customerId))
                    .updateExpression("SET #spk = :spk, #ssk = :ssk")
                    // a profile deleted or saved (with the attributes) since the Scan page is left alone
                    .conditionExpression("attribute_exists(#pk) AND attribute_not_exists(#spk)")
                    .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#spk", SiyuTable.SCAN_PK, "#ssk", SiyuTable.SCAN_SK))
                    .expressionAttributeValues(values)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
            return true;
        } catch (ConditionalCheckFailedException alreadyThere) {
            meter.rejectedWrite(1.0);
            return false;
        }
    }
}
