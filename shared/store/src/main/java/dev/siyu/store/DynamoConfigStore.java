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
 * if CURRENT still holds the version we read, so two concurrent applies cannot both become n+1. The same
 * transaction writes {@code NUMBER}, the current number alone (a few bytes): what every function instance
 * reads every half minute to see whether the config changed, for half a read unit instead of the text's.
 */
public final class DynamoConfigStore implements ConfigStore {
    private static final String CURRENT = "CURRENT";
    private static final String NUMBER = "NUMBER";
    private static final String YAML = "yaml";
    private static final String VERSION = "version";
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
            long version = current.map(i -> Long.parseLong(i.get(VERSION).n())).orElse(0L) + 1;
            Map<String, AttributeValue> values = Map.of(YAML, AttributeValue.fromS(yamlText),
                    VERSION, AttributeValue.fromN(Long.toString(version)));
            Put versionPut = Put.builder().tableName(table).item(with(SiyuTable.key(pk, versionSk(version)), values))
                    .conditionExpression("attribute_not_exists(pk)").build();
            Put currentPut = Put.builder().tableName(table).item(with(SiyuTable.key(pk, CURRENT), values))
                    .conditionExpression(current.isEmpty() ? "attribute_not_exists(pk)" : "version = :previous")
                    .expressionAttributeValues(current.isEmpty() ? null
                            : Map.of(":previous", AttributeValue.fromN(Long.toString(version - 1))))
                    .build();
            try {
                dynamo.transactWriteItems(TransactWriteItemsRequest.builder()
                        .transactItems(List.of(TransactWriteItem.builder().put(versionPut).build(),
                                TransactWriteItem.builder().put(currentPut).build(),
                                TransactWriteItem.builder().put(Put.builder().tableName(table).item(with(
                                        SiyuTable.key(pk, NUMBER), Map.of(VERSION, AttributeValue.fromN(
                                                Long.toString(version))))).build()).build()))
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
        return currentItem(SiyuTable.tenant(tenant) + "#CONFIG").map(i -> i.get(YAML).s());
    }

    /** One strongly consistent read of CURRENT, which carries both the number and the text. */
    @Override
    public Optional<Version> currentVersion(String tenant) {
        return currentItem(SiyuTable.tenant(tenant) + "#CONFIG")
                .map(i -> new Version(Long.parseLong(i.get(VERSION).n()), i.get(YAML).s()));
    }

    /**
     * Eventually consistent: a change reaches every instance within a second of replication on top of
     * its check interval. A config stored before NUMBER existed is read from CURRENT.
     */
    @Override
    public java.util.OptionalLong currentNumber(String tenant) {
        Optional<Map<String, AttributeValue>> item = get(SiyuTable.key(SiyuTable.tenant(tenant) + "#CONFIG", NUMBER), false);
        if (item.isPresent()) {
            return java.util.OptionalLong.of(Long.parseLong(item.get().get(VERSION).n()));
        }
        return currentVersion(tenant).map(v -> java.util.OptionalLong.of(v.number()))
                .orElse(java.util.OptionalLong.empty());
    }

    /**
     * A version never changes once written, so it is read eventually consistent (half the units);
     * only a miss is asked again strongly consistent, because a version saved a moment ago may not
     * have reached every replica yet, and a run that just started on it must still find it.
     */
    @Override
    public Optional<String> version(String tenant, long number) {
        if (number < 1) {
            return Optional.empty();
        }
        Map<String, AttributeValue> key = SiyuTable.key(SiyuTable.tenant(tenant) + "#CONFIG", versionSk(number));
        Optional<Map<String, AttributeValue>> item = get(key, false);
        if (item.isEmpty()) {
            item = get(key, true);
        }
        return item.map(i -> i.get(YAML).s());
    }

    private Optional<Map<String, AttributeValue>> currentItem(String pk) {
        return get(SiyuTable.key(pk, CURRENT), true);
    }

    private Optional<Map<String, AttributeValue>> get(Map<String, AttributeValue> key, boolean consistent) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key).consistentRead(consistent)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(r.item()) : Optional.empty();
    }

    /** Zero-padded so the versions list in order in the console and in a Query. */
    private static String versionSk(long number) {
        return "V#" + String.format("%08d", number);
    }

    private static Map<String, AttributeValue> with(Map<String, AttributeValue> key, Map<String, AttributeValue> values) {
        Map<String, AttributeValue> item = new java.util.HashMap<>(key);
        item.putAll(values);
        return item;
    }
}
