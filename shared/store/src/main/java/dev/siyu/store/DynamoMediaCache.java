package dev.siyu.store;

import dev.siyu.core.port.MediaCache;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/**
 * {@link MediaCache}: one item per picture under the tenant's {@code T#<t>#MEDIA} partition, keyed by the
 * picture's file name: the media id, when it was uploaded, and a TTL at its expiry (3 days on). A plain PutItem:
 * two instances refreshing the same picture at once both upload and the later write wins, which costs one
 * upload and leaves a valid id either way. Reads are eventually consistent for the same reason.
 */
public final class DynamoMediaCache implements MediaCache {
    private static final String MEDIA_ID = "media_id";
    private static final String UPLOADED_AT = "uploaded_at";

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoMediaCache(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    private static Map<String, AttributeValue> key(String tenant, String picture) {
        return SiyuTable.key(SiyuTable.tenant(tenant) + "#MEDIA", picture);
    }

    @Override
    public Optional<Uploaded> get(String tenant, String picture) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, picture))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        if (!r.hasItem() || r.item().get(MEDIA_ID) == null || r.item().get(UPLOADED_AT) == null) {
            return Optional.empty();
        }
        return Optional.of(new Uploaded(picture, Attrs.string(r.item(), MEDIA_ID), Attrs.instant(r.item(), UPLOADED_AT)));
    }

    @Override
    public void put(String tenant, Uploaded uploaded) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, uploaded.picture()));
        Attrs.putString(item, MEDIA_ID, uploaded.mediaId());
        Attrs.putInstant(item, UPLOADED_AT, uploaded.uploadedAt());
        item.put(SiyuTable.EXPIRES_AT, Attrs.number(uploaded.expiresAt().getEpochSecond()));
        meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
    }
}
