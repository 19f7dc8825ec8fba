package dev.siyu.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.desk.DeskTask;
import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.WeComApi;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;

/**
 * {@link DeskStore}: one item per task under its staff member's partition, {@code T#<t>#DESK#<staff>} /
 * {@code TASK#<id>}, so the sidebar's list is one Query of one partition. Created with a conditional put (a
 * redelivered step writes nothing new), closed with a conditional update on {@code status = OPEN} (in time for its expiry) that sets
 * {@code follow_up_due} until the close's follow-ups are made; a closed task
 * expires (TTL) {@link #KEPT_CLOSED} after it closed.
 */
public final class DynamoDeskStore implements DeskStore {
    static final Duration KEPT_CLOSED = Duration.ofDays(30);
    /** Set by a close, removed once its follow-ups are made: the sweep finds a close a crash left unfollowed. */
    static final String FOLLOW_UP = "follow_up_due";
    /** A staff member's claim to send the task, epoch millis (a number, so the expiry's close can compare it). */
    static final String CLAIMED = "claimed_until";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<Map<String, String>>> ATTACHMENTS = new TypeReference<>() { };

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    public DynamoDeskStore(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    private static String partition(String tenant, String staffUserId) {
        return SiyuTable.tenant(tenant) + "#DESK#" + staffUserId;
    }

    private static Map<String, AttributeValue> key(String tenant, String staffUserId, String taskId) {
        return SiyuTable.key(partition(tenant, staffUserId), "TASK#" + taskId);
    }

    @Override
    public DeskTask create(String tenant, DeskTask task) {
        Map<String, AttributeValue> item = new HashMap<>(key(tenant, task.staffUserId(), task.id()));
        Attrs.putString(item, "id", task.id());
        Attrs.putString(item, "customer_id", task.customerId());
        Attrs.putString(item, "external_userid", task.externalUserId());
        Attrs.putString(item, "staff_userid", task.staffUserId());
        Attrs.putString(item, "kind", task.kind());
        Attrs.putString(item, "title", task.title());
        Attrs.putString(item, "text", task.text());
        Attrs.putString(item, "attachments", attachments(task.attachments()));
        Attrs.putString(item, "touch_id", task.touchId());
        Attrs.putInstant(item, "created_at", task.createdAt());
        Attrs.putInstant(item, "expires", task.expiresAt());
        Attrs.putString(item, "status", task.status().name());
        Attrs.putInstant(item, "closed_at", task.closedAt());
        try {
            meter.write(dynamo.putItem(b -> b.tableName(table).item(item)
                    .conditionExpression("attribute_not_exists(" + SiyuTable.PK + ")")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
            return task;
        } catch (ConditionalCheckFailedException stored) {
            return task(tenant, task.staffUserId(), task.id()).orElse(task);
        }
    }

    @Override
    public Optional<DeskTask> task(String tenant, String staffUserId, String taskId) {
        GetItemResponse r = dynamo.getItem(b -> b.tableName(table).key(key(tenant, staffUserId, taskId))
                .consistentRead(true).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
        meter.read(r.consumedCapacity());
        return r.hasItem() && !r.item().isEmpty() ? Optional.of(task(r.item())) : Optional.empty();
    }

    @Override
    public List<DeskTask> open(String tenant, String staffUserId) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :task)")
                        .filterExpression("#status = :open")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK, "#status", "status"))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant, staffUserId)),
                                ":task", AttributeValue.fromS("TASK#"), ":open", AttributeValue.fromS("OPEN"))))
                .stream().map(DynamoDeskStore::task)
                .sorted(Comparator.comparing(DeskTask::createdAt).thenComparing(DeskTask::id))
                .toList();
    }

    @Override
    public Optional<DeskTask> close(String tenant, String staffUserId, String taskId, DeskTask.Status to, Instant at) {
        if (to == DeskTask.Status.OPEN) {
            throw new IllegalArgumentException("a task is closed as SENT, DISMISSED or EXPIRED");
        }
        // The expiry never changes once written, so checking it on a consistent read and closing on status = OPEN
        // is the same as checking both in the write (and avoids comparing ISO instants as strings).
        Optional<DeskTask> stored = task(tenant, staffUserId, taskId);
        if (stored.isEmpty() || stored.get().status() != DeskTask.Status.OPEN
                || !DeskStore.inTime(stored.get(), to, at)) {
            return stored;
        }
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, staffUserId, taskId))
                    .updateExpression("SET #status = :to, closed_at = :at, " + FOLLOW_UP + " = :due, "
                            + SiyuTable.EXPIRES_AT + " = :ttl")
                    // A claim made since the read moves the deadline: the expiry's close then waits for it.
                    .conditionExpression("#status = :open AND (attribute_not_exists(" + CLAIMED + ") OR "
                            + CLAIMED + " <= :atMillis OR :to <> :expired)")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":to", AttributeValue.fromS(to.name()),
                            ":at", AttributeValue.fromS(at.toString()),
                            ":atMillis", Attrs.number(at.toEpochMilli()),
                            ":expired", AttributeValue.fromS(DeskTask.Status.EXPIRED.name()),
                            ":due", AttributeValue.fromBool(true),
                            ":ttl", Attrs.number(at.plus(KEPT_CLOSED).getEpochSecond()),
                            ":open", AttributeValue.fromS(DeskTask.Status.OPEN.name())))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return Optional.of(task(r.attributes()));
        } catch (ConditionalCheckFailedException notOpen) {
            // Closed by someone else since the read: the stored task says how.
            return task(tenant, staffUserId, taskId);
        }
    }

    @Override
    public Optional<DeskTask> claim(String tenant, String staffUserId, String taskId, Instant at, Instant until) {
        Optional<DeskTask> stored = task(tenant, staffUserId, taskId);
        if (stored.isEmpty() || stored.get().status() != DeskTask.Status.OPEN
                || !at.isBefore(stored.get().expiresAt())) {
            return stored;
        }
        try {
            UpdateItemResponse r = dynamo.updateItem(b -> b.tableName(table).key(key(tenant, staffUserId, taskId))
                    .updateExpression("SET " + CLAIMED + " = :until")
                    .conditionExpression("#status = :open")
                    .expressionAttributeNames(Map.of("#status", "status"))
                    .expressionAttributeValues(Map.of(":until", Attrs.number(until.toEpochMilli()),
                            ":open", AttributeValue.fromS(DeskTask.Status.OPEN.name())))
                    .returnValues(ReturnValue.ALL_NEW)
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.write(r.consumedCapacity());
            return Optional.of(task(r.attributes()));
        } catch (ConditionalCheckFailedException closed) {
            return task(tenant, staffUserId, taskId);
        }
    }

    @Override
    public List<DeskTask> unfollowed(String tenant, String staffUserId) {
        return QueryPages.all(dynamo, table, meter, b -> b
                        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :task)")
                        .filterExpression("attribute_exists(" + FOLLOW_UP + ")")
                        .expressionAttributeNames(Map.of("#pk", SiyuTable.PK, "#sk", SiyuTable.SK))
                        .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS(partition(tenant, staffUserId)),
                                ":task", AttributeValue.fromS("TASK#"))))
                .stream().map(DynamoDeskStore::task)
                .sorted(Comparator.comparing(DeskTask::createdAt).thenComparing(DeskTask::id))
                .toList();
    }

    @Override
    public void followedUp(String tenant, String staffUserId, String taskId) {
        try {
            meter.write(dynamo.updateItem(b -> b.tableName(table).key(key(tenant, staffUserId, taskId))
                    .updateExpression("REMOVE " + FOLLOW_UP)
                    .conditionExpression("attribute_exists(" + SiyuTable.PK + ")")
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL)).consumedCapacity());
        } catch (ConditionalCheckFailedException gone) {
            // Kept past its TTL and deleted: nothing is left to follow up.
        }
    }

    private static DeskTask task(Map<String, AttributeValue> item) {
        return new DeskTask(Attrs.string(item, "id"), Attrs.string(item, "customer_id"),
                Attrs.string(item, "external_userid"), Attrs.string(item, "staff_userid"), Attrs.string(item, "kind"),
                Attrs.string(item, "title"), Attrs.string(item, "text"), attachments(Attrs.string(item, "attachments")),
                Attrs.string(item, "touch_id"), Attrs.instant(item, "created_at"), Attrs.instant(item, "expires"),
                DeskTask.Status.valueOf(Attrs.string(item, "status")), Attrs.instant(item, "closed_at"),
                item.containsKey(CLAIMED) ? Instant.ofEpochMilli(Long.parseLong(item.get(CLAIMED).n())) : null);
    }

    private static String attachments(List<WeComApi.Attachment> list) {
        if (list.isEmpty()) {
            return null;
        }
        List<Map<String, String>> rows = list.stream().map(a -> {
            Map<String, String> m = new HashMap<>();
            m.put("kind", a.kind());
            m.put("title", a.title());
            m.put("url", a.url());
            m.put("picture", a.picture());
            m.put("media_id", a.mediaId());
            return m;
        }).toList();
        try {
            return JSON.writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("attachments of strings always serialise", e);
        }
    }

    private static List<WeComApi.Attachment> attachments(String json) {
        if (json == null) {
            return List.of();
        }
        try {
            return JSON.readValue(json, ATTACHMENTS).stream()
                    .map(m -> new WeComApi.Attachment(m.get("kind"), m.get("title"), m.get("url"), m.get("picture"),
                            m.get("media_id")))
                    .toList();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a desk task's attachments are not the JSON this store wrote", e);
        }
    }
}
