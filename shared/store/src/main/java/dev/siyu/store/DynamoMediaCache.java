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
 *
 * <p>The picture file apply stored for the functions is its own item, {@code FILE#<picture>}, without expiry,
 * at most {@value #MAX_FILE_BYTES} bytes (an item holds 400 KB).
 */
public final class DynamoMediaCache implements MediaCache {
    private static final String MEDIA_ID = "media_id";
    private static final String UPLOADED_AT = "uploaded_at";
    private static final String FILE = "file";
    /** Under DynamoDB's 400 KB item limit with room for the keys. */
    public static final int MAX_FILE_BYTES = 350 * 1024;

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
    public Optional<byte[]> file(String tenant, String picture) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, "FILE#" + picture))
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && r.item().get(FILE) != null ? Optional.of(r.item().get(FILE).b().asByteArray())
                : Optional.empty();
    }

    @Override
    public void storeFile(String tenant, String picture, byte[] bytes) {
        if (bytes.length > MAX_FILE_BYTES) {
            throw new IllegalArgumentException("picture " + picture + " is " + bytes.length / 1024 + " KB; the table keeps"
                    + " pictures of at most " + MAX_FILE_BYTES / 1024 + " KB for the functions to upload again");
        }
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, "FILE#" + picture));
        item.put(FILE, AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(bytes)));
        meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
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
