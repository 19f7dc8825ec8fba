package dev.siyu.store;

import dev.siyu.core.port.ConfigStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Tenant configs, versioned: {@code T#<t>#CONFIG} / {@code V#<n>} keeps every version ever applied
 * and {@code CURRENT} points at the newest. Both are written in one transaction that only succeeds
 * if CURRENT still holds the version we read, so two concurrent applies cannot both become n+1.
 */
public final class DynamoConfigStore implements ConfigStore {
    private static final String CURRENT = "CURRENT";
    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoConfigStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public long save(String tenant, String yamlText) {
        String pk = SiyuTable.tenant(tenant) + "#CONFIG";
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<Map<String, AttributeValue>> current = currentItem(pk);
            long version = current.map(i -> Long.parseLong(i.get("version").n())).orElse(0L) + 1;
            Map<String, AttributeValue> values = Map.of("yaml", AttributeValue.fromS(yamlText),
                    "version", AttributeValue.fromN(Long.toString(version)));
            Put versionPut = Put.builder().tableName(table).item(with(SiyuTable.key(pk, "V#" + String.format("%08d", version)), values))
                    .conditionExpression("attribute_not_exists(pk)").build();
            Put currentPut = Put.builder().tableName(table).item(with(SiyuTable.key(pk, CURRENT), values))
                    .conditionExpression(current.isEmpty() ? "attribute_not_exists(pk)" : "version = :previous")
                    .expressionAttributeValues(current.isEmpty() ? null
                            : Map.of(":previous", AttributeValue.fromN(Long.toString(version - 1))))
                    .build();
            try {
                dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                        .transactItems(List.of(TransactWriteItem.builder().put(versionPut).build(),
                                TransactWriteItem.builder().put(currentPut).build()))
                        .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL).build())
                        .consumedCapacity().forEach(meter::write);
                return version;
            } catch (TransactionCanceledException raced) {
                // Someone applied a config between our read and write: read again and take the next number.
            }
        }
        throw new IllegalStateException("could not store the config of tenant " + tenant + ": too many concurrent applies");
    }

    @Override
    public Optional<String> current(String tenant) {
        return currentItem(SiyuTable.tenant(tenant) + "#CONFIG").map(i -> i.get("yaml").s());
    }

    private Optional<Map<String, AttributeValue>> currentItem(String pk) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.key(pk, CURRENT)).consistentRead(true)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.putAll(values);
        return item;
    }
}
