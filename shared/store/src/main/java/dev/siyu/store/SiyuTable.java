package dev.siyu.store;

import dev.siyu.core.profile.IdentityType;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The suite's single table (docs/data-model.md): key names, key shapes and creation. Every partition key
 * starts with the tenant, so one tenant's data can never be read through another tenant's key.
 *
 * <p>Staff counters deliberately avoid per-member {@code T#<t>#STAFF#<userId>} /
 * {@code STAFF|DAY#<date>} items: a pool's counters are one item, {@code T#<t>#POOL#<pool>} /
 * {@code LOAD}, with flat numeric attributes {@code active_<userId>}, {@code adds_<yyyyMMdd>_<userId>}
 * and {@code rotation}. Routing then reads one item instead of querying 2 per staff member, and a
 * new contact's counting is one UpdateItem with ADD in a transaction with the callback's operation item,
 * which keeps a new contact's callback at <= 11 write units (dedup claim processing and done, profile,
 * alias, timeline event, the new profile's entry in the profiles index that replaced the daily jobs'
 * whole-table Scan, pool counters and operation item at 2 units each in the transaction).
 */
public final class SiyuTable {
    public static final String PK = "pk";
    public static final String SK = "sk";
    /** DynamoDB's TTL attribute, epoch seconds. Deletion is lazy (up to days), so readers must check it too. */
    public static final String EXPIRES_AT = "expires_at";

    /**
     * A customer's state (profile, journey runs, touch records) sorts under this prefix and the timeline
     * ({@link #EVENT_SK_PREFIX}) outside it, so one Query reads the state without the history.
     */
    static final String STATE_SK_PREFIX = "S#";
    static final String PROFILE_SK = STATE_SK_PREFIX + "PROFILE";
    static final String EVENT_SK_PREFIX = "EV#";
    static final String ALIAS_SK = "ALIAS";
    static final String DEDUP_SK = "DEDUP";
    static final String POOL_SK = "LOAD";
    static final String JOURNEY_RUN_SK_PREFIX = STATE_SK_PREFIX + "J#";
    static final String TOUCH_SK_PREFIX = STATE_SK_PREFIX + "T#";
    static final String GROUP_SK = "GROUP";
    static final String MEMBER_SK_PREFIX = "M#";

    /**
     * The sparse, keys-only index of profiles the daily jobs read instead of scanning the table: only
     * profile items carry {@value #SCAN_PK} ({@code T#<t>#PROFILES#<nn>}, {@link #PROFILE_SHARDS} shards
     * per tenant by customer id) and {@value #SCAN_SK} (the customer id). Its keys never change after
     * the profile is created, so the index is written once per customer, not on every profile update.
     */
    public static final String PROFILES_INDEX = "profiles";
    static final String SCAN_PK = "scan_pk";
    static final String SCAN_SK = "scan_sk";
    /** 32 index partitions per tenant: each takes 1/32 of new customers, and a pass reads them side by side. */
    static final int PROFILE_SHARDS = 32;

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TIMER_MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm")
            .withZone(java.time.ZoneOffset.UTC);

    private SiyuTable() {
    }

    /** Creates the table (on-demand, TTL on {@value #EXPIRES_AT}) unless it exists; waits until it is usable. */
    public static void createIfMissing(DynamoDbClient dynamo, String tableName) {
        createIfMissing(dynamo, tableName, true);
    }

    /**
     * @param ttl false for a table used on a virtual clock (the demo): DynamoDB's TTL sweep goes by the real
     *            clock and would delete items the virtual present still counts (readers check
     *            {@value #EXPIRES_AT} against their own clock anyway)
     */
    public static void createIfMissing(DynamoDbClient dynamo, String tableName, boolean ttl) {
        try {
            dynamo.describeTable(b -> b.tableName(tableName));
        } catch (ResourceNotFoundException missing) {
            try {
                dynamo.createTable(CreateTableRequest.builder()
                        .tableName(tableName)
                        .billingMode(BillingMode.PAY_PER_REQUEST)
                        .attributeDefinitions(
                                AttributeDefinition.builder().attributeName(PK).attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName(SK).attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName(SCAN_PK).attributeType(ScalarAttributeType.S).build(),
                                AttributeDefinition.builder().attributeName(SCAN_SK).attributeType(ScalarAttributeType.S).build())
                        .keySchema(
                                KeySchemaElement.builder().attributeName(PK).keyType(KeyType.HASH).build(),
                                KeySchemaElement.builder().attributeName(SK).keyType(KeyType.RANGE).build())
                        .globalSecondaryIndexes(GlobalSecondaryIndex.builder().indexName(PROFILES_INDEX)
                                .keySchema(
                                        KeySchemaElement.builder().attributeName(SCAN_PK).keyType(KeyType.HASH).build(),
                                        KeySchemaElement.builder().attributeName(SCAN_SK).keyType(KeyType.RANGE).build())
                                .projection(Projection.builder().projectionType(ProjectionType.KEYS_ONLY).build())
                                .build())
                        .build());
            } catch (ResourceInUseException createdConcurrently) {
                // Another process won the race to create it; waiting below covers both cases.
            }
            dynamo.waiter().waitUntilTableExists(b -> b.tableName(tableName));
        }
        if (ttl) {
            enableTtl(dynamo, tableName);
        }
    }

    private static void enableTtl(DynamoDbClient dynamo, String tableName) {
        DescribeTimeToLiveResponse ttl = dynamo.describeTimeToLive(b -> b.tableName(tableName));
        TimeToLiveStatus status = ttl.timeToLiveDescription() == null ? null
                : ttl.timeToLiveDescription().timeToLiveStatus();
        // Enabling twice is a ValidationException, so only a table without TTL gets the call.
        if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
            return;
        }
        dynamo.updateTimeToLive(b -> b.tableName(tableName)
                .timeToLiveSpecification(s -> s.attributeName(EXPIRES_AT).enabled(true)));
    }

    static String tenant(String tenant) {
        if (tenant == null || tenant.isEmpty() || tenant.indexOf('#') >= 0) {
            // '#' separates key segments; a tenant containing it could address another tenant's keys.
            throw new IllegalArgumentException("tenant must be non-empty and free of '#': " + tenant);
        }
        return "T#" + tenant;
    }

    static String customerPk(String tenant, String customerId) {
        return tenant(tenant) + "#C#" + customerId;
    }

    /** The index shard a customer's profile lists under; String.hashCode is fixed by the language, so stable. */
    static int profileShard(String customerId) {
        return Math.floorMod(customerId.hashCode(), PROFILE_SHARDS);
    }

    /**
     * The profiles index's other key space: ledger earns whose points expire on day (UTC), listed under
     * {@code T#<t>#PTSEXP#<yyyyMMdd>} with the sort key {@code <customer>#<requestId>}.
     */
    static String pointsExpiryPk(String tenant, java.time.LocalDate day) {
        return tenant(tenant) + "#PTSEXP#" + day.format(DAY);
    }

    static String profileShardPk(String tenant, int shard) {
        return tenant(tenant) + "#PROFILES#" + String.format("%02d", shard);
    }

    /** A job's pass over the profiles keeps one checkpoint item per index shard under this key. */
    static Map<String, AttributeValue> passKey(String tenant, String pass, int shard) {
        return key(tenant(tenant) + "#PASS#" + pass, String.format("SHARD#%02d", shard));
    }

    static String passPk(String tenant, String pass) {
        return tenant(tenant) + "#PASS#" + pass;
    }

    static Map<String, AttributeValue> profileKey(String tenant, String customerId) {
        return key(customerPk(tenant, customerId), PROFILE_SK);
    }

    /** Millis zero-padded to 13 digits so the sort key orders events by time (until the year 2286). */
    static String eventSk(Instant at, String eventId) {
        long millis = at.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("timeline events before 1970 cannot be ordered: " + at);
        }
        return EVENT_SK_PREFIX + String.format("%013d", millis) + "#" + eventId;
    }

    static Map<String, AttributeValue> aliasKey(String tenant, IdentityType type, String value) {
        return key(tenant(tenant) + "#ID#" + type.key() + "#" + value, ALIAS_SK);
    }

    static Map<String, AttributeValue> dedupKey(String tenant, String dedupKey) {
        return key(tenant(tenant) + "#DEDUP#" + dedupKey, DEDUP_SK);
    }

    static Map<String, AttributeValue> poolKey(String tenant, String pool) {
        return key(tenant(tenant) + "#POOL#" + pool, POOL_SK);
    }

    /**
     * A touch record: {@code S#T#<millis>#<touch id>} under the customer (or group pseudo-customer), next to
     * the profile. Millis zero-padded to 13 digits so the latest records can be read alone, newest first.
     */
    static String touchSk(Instant at, String touchId) {
        long millis = at.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("touches before 1970 cannot be ordered: " + at);
        }
        return TOUCH_SK_PREFIX + String.format("%013d", millis) + "#" + touchId;
    }

    /** The touch id of a {@link #touchSk}. */
    static String touchId(String sk) {
        return sk.substring(TOUCH_SK_PREFIX.length() + 14);
    }

    /**
     * {@code S#J#<journey>#<runId>} under the customer, next to the profile. A journey name holding '#'
     * would make "a#b" + "c" and "a" + "b#c" the same key, so it is refused; the run id is the last
     * segment and may hold anything.
     */
    static String journeyRunSk(String journey, String runId) {
        if (journey == null || journey.isEmpty() || journey.indexOf('#') >= 0) {
            throw new IllegalArgumentException("journey name must be non-empty and free of '#': " + journey);
        }
        if (runId == null || runId.isEmpty()) {
            throw new IllegalArgumentException("run id must be non-empty");
        }
        return JOURNEY_RUN_SK_PREFIX + journey + "#" + runId;
    }

    /** The outreach gate's daily decision counts: one partition per tenant, one item per day. */
    static String gatePk(String tenant) {
        return tenant(tenant) + "#GATE";
    }

    /** A customer group's partition: its summary ({@link #GROUP_SK}), its members and its event log. */
    static String groupPk(String tenant, String chatId) {
        if (chatId == null || chatId.isEmpty()) {
            throw new IllegalArgumentException("chat id must be non-empty");
        }
        return tenant(tenant) + "#GROUP#" + chatId;
    }

    /**
     * The tenant's group listing: one item per group, keyed by chat id, carrying the same summary as
     * the group's own item, so all groups of a tenant are one Query instead of one read per group.
     */
    static String groupListPk(String tenant) {
        return tenant(tenant) + "#GROUPS";
    }

    /** All of a tenant's channel codes share one partition, so a single Query returns them all. */
    static String channelPk(String tenant) {
        return tenant(tenant) + "#CHANNEL";
    }

    static Map<String, AttributeValue> channelKey(String tenant, String state) {
        return key(channelPk(tenant), state);
    }

    /**
     * Timer buckets carry no tenant: the sweep serves all tenants and must find a
     * minute's timers with one Query per shard. Minutes are UTC so buckets never repeat or skip at
     * a daylight-saving change.
     */
    static String timerPk(Instant minute, int shard) {
        return "TIMER#" + TIMER_MINUTE.format(minute) + "#" + shard;
    }

    /** Due millis padded to 13 digits so a bucket's timers come back in due order. */
    static String timerSk(Instant dueAt, String id) {
        long millis = dueAt.toEpochMilli();
        if (millis < 0) {
            throw new IllegalArgumentException("timers before 1970 cannot be ordered: " + dueAt);
        }
        return String.format("%013d", millis) + "#" + id;
    }

    /** The sweep's cursor; one item for the whole table because one sweep serves every tenant. */
    static Map<String, AttributeValue> timerCursorKey() {
        return key("TIMER#CURSOR", "CURSOR");
    }

    static String day(LocalDate day) {
        return DAY.format(day);
    }

    static LocalDate parseDay(String yyyyMMdd) {
        return LocalDate.parse(yyyyMMdd, DAY);
    }

    static Map<String, AttributeValue> key(String pk, String sk) {
        return Map.of(PK, AttributeValue.fromS(pk), SK, AttributeValue.fromS(sk));
    }
}
