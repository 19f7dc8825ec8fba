package dev.siyu.store;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.port.ChannelStore;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link ChannelStore}: one item per code under the tenant's {@code T#<t>#CHANNEL} partition, keyed
 * by state. Reads are eventually consistent: a code's state never changes, and a re-route seen a
 * moment late only sends one more customer to the previous assignee.
 */
public final class DynamoChannelStore implements ChannelStore {
    private static final String NAME = "name";
    private static final String TYPE = "routing";
    private static final String CONFIG_ID = "config_id";
    private static final String QR_URL = "qr_url";
    private static final String STAFF = "staff";
    private static final String POOL = "pool";
    private static final String STORE_ID = "store_id";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoChannelStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    @Override
    public void save(String tenant, ChannelCode code) {
        Map<String, AttributeValue> item = new HashMap<>(SiyuTable.channelKey(tenant, code.state()));
        Attrs.putString(item, NAME, code.name());
        Attrs.putString(item, TYPE, code.type() == null ? null : code.type().configName());
        Attrs.putString(item, CONFIG_ID, code.configId());
        Attrs.putString(item, QR_URL, code.qrUrl());
        item.put(STAFF, AttributeValue.fromL(code.staff().stream().map(AttributeValue::fromS).toList()));
        Attrs.putString(item, POOL, code.pool());
        Attrs.putString(item, STORE_ID, code.storeId());
        PutItemResponse r = dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.write(r.consumedCapacity());
    }

    @Override
    public Optional<ChannelCode> byState(String tenant, String state) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(SiyuTable.channelKey(tenant, state))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(code(r.item())) : Optional.empty();
    }

    @Override
    public List<ChannelCode> all(String tenant) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(SiyuTable.channelPk(tenant)))))
                .stream().map(DynamoChannelStore::code).toList();
    }

    private static ChannelCode code(Map<String, AttributeValue> item) {
        String routing = Attrs.string(item, TYPE);
        AttributeValue staff = item.get(STAFF);
        List<String> staffIds = staff != null && staff.hasL() ? staff.l().stream().map(AttributeValue::s).toList()
                : List.of();
        return new ChannelCode(Attrs.string(item, NAME),
                routing == null ? null : RoutingType.fromConfig(routing).orElseThrow(
                        () -> new IllegalStateException("unknown routing type in table: " + routing)),
                Attrs.string(item, SiyuTable.SK), Attrs.string(item, CONFIG_ID), Attrs.string(item, QR_URL),
                staffIds, Attrs.string(item, POOL), Attrs.string(item, STORE_ID));
    }
}
