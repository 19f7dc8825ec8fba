package dev.siyu.store;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * TransactWriteItems for writes that must land together or not at all, e.g. a group's member and
 * both copies of its member count.
 *
 * <p>Two transactions touching the same item at the same moment cancel one of them
 * (TransactionConflict), which is likely on a busy group's summary; that one is sent again after a
 * jittered backoff. A transaction refused by one of its conditions is not retried: the condition
 * is the answer, and the caller learns it from the result.
 */
final class Transactions {
    private static final int MAX_ATTEMPTS = 8;
    private static final long FIRST_BACKOFF_MILLIS = 10;
    private static final long MAX_BACKOFF_MILLIS = 500;
    /** Transactional writes cost 2 units per item of up to 1 KB; a refused one is charged like it, at most. */
    private static final double UNITS_PER_SMALL_ITEM = 2.0;

    private final DynamoDbClient dynamo;
    private final CapacityMeter meter;

    Transactions(DynamoDbClient dynamo, CapacityMeter meter) {
        this.dynamo = dynamo;
        this.meter = meter;
    }

    /** True when committed; false when a condition of one of the items did not hold (nothing was written). */
    boolean write(List<TransactWriteItem> items) {
        for (int attempt = 1; ; attempt++) {
            try {
                dynamo.transactWriteItems(b -> b.transactItems(items)
                                .returnConsumedCapacity(ReturnConsumedCapacity.TOTAL))
                        .consumedCapacity().forEach(meter::write);
                return true;
            } catch (TransactionCanceledException canceled) {
                meter.rejectedWrite(UNITS_PER_SMALL_ITEM * items.size());
                if (has(canceled, "ConditionalCheckFailed")) {
                    return false;
                }
                if (!has(canceled, "TransactionConflict") || attempt == MAX_ATTEMPTS) {
                    throw canceled;
                }
                backoff(attempt);
            }
        }
    }

    private static boolean has(TransactionCanceledException e, String code) {
        if (!e.hasCancellationReasons()) {
            return false;
        }
        for (CancellationReason reason : e.cancellationReasons()) {
            if (code.equals(reason.code())) {
                return true;
            }
        }
        return false;
    }

    private static void backoff(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, FIRST_BACKOFF_MILLIS << (attempt - 1));
        // Full jitter: the transactions that collided should not collide again on their retries.
        long sleep = ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a conflicting transaction", e);
        }
    }
}
