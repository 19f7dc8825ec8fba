package dev.siyu.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteRequest;
import software.amazon.awssdk.services.dynamodb.model.PutRequest;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

/**
 * Puts items with as few round trips as BatchWriteItem allows (25 items each). Items DynamoDB
 * leaves unprocessed (throttling, partition limits) are sent again with jittered exponential
 * backoff; what is still unprocessed after that is an error, never silently dropped.
 */
final class BatchWriter {
    static final int MAX_ITEMS_PER_BATCH = 25;
    private static final int MAX_ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MILLIS = 20;
    private static final long MAX_BACKOFF_MILLIS = 1_000;

    private final DynamoDbClient dynamo;
    private final String table;
    private final CapacityMeter meter;

    BatchWriter(DynamoDbClient dynamo, String table, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.table = table;
        this.meter = meter;
    }

    void putAll(List<Map<String, AttributeValue>> items) {
        // One batch may not name the same key twice (ValidationException); the last version wins, as a put would.
        Map<String, Map<String, AttributeValue>> byKey = new LinkedHashMap<>();
        for (Map<String, AttributeValue> item : items) {
            byKey.put(item.get(SiyuTable.PK).s() + '\u0000' + item.get(SiyuTable.SK).s(), item);
        }
        List<WriteRequest> requests = new ArrayList<>(byKey.size());
        byKey.values().forEach(item -> requests.add(WriteRequest.builder()
                .putRequest(PutRequest.builder().item(item).build()).build()));
        for (int from = 0; from < requests.size(); from += MAX_ITEMS_PER_BATCH) {
            write(requests.subList(from, Math.min(from + MAX_ITEMS_PER_BATCH, requests.size())));
        }
    }

    void deleteAll(List<Map<String, AttributeValue>> keys) {
        List<WriteRequest> requests = new ArrayList<>(keys.size());
        new LinkedHashSet<>(keys).forEach(key -> requests.add(WriteRequest.builder()
                .deleteRequest(DeleteRequest.builder().key(key).build()).build()));
        for (int from = 0; from < requests.size(); from += MAX_ITEMS_PER_BATCH) {
            write(requests.subList(from, Math.min(from + MAX_ITEMS_PER_BATCH, requests.size())));
        }
    }

    private void write(List<WriteRequest> batch) {
        List<WriteRequest> pending = batch;
        for (int attempt = 1; ; attempt++) {
            List<WriteRequest> send = List.copyOf(pending);
            BatchWriteItemResponse response = dynamo.batchWriteItem(b -> b
                    .requestItems(Map.of(table, send))
                    .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL));
            meter.batchWrite(response.consumedCapacity());
            List<WriteRequest> unprocessed = response.unprocessedItems().getOrDefault(table, List.of());
            if (unprocessed.isEmpty()) {
                return;
            }
            if (attempt == MAX_ATTEMPTS) {
                throw new IllegalStateException(unprocessed.size() + " items still unprocessed after "
                        + MAX_ATTEMPTS + " BatchWriteItem attempts on " + table);
            }
            pending = unprocessed;
            backoff(attempt);
        }
    }

    private static void backoff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (attempt - 1));
        // Full jitter: concurrent writers that were throttled together should not retry together.
        long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying unprocessed items", e);
        }
    }
}
