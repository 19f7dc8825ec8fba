package dev.siyu.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnConsumedCapacity;

/** Every item of a Query, page after page, each page's capacity on the meter. */
final class QueryPages {
    private QueryPages() {
    }

    /** request sets the key condition and any options; the table, paging and capacity are set here. */
    static List<Map<String, AttributeValue>> all(DynamoDbClient dynamo, String table, CapacityMeter meter,
                                                 Consumer<QueryRequest.Builder> request) {
        List<Map<String, AttributeValue>> items = new ArrayList<>();
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> from = start;
            QueryResponse page = dynamo.query(b -> {
                request.accept(b);
                b.tableName(table).exclusiveStartKey(from).returnConsumedCapacity(ReturnConsumedCapacity.TOTAL);
            });
            meter.read(page.consumedCapacity());
            items.addAll(page.items());
            start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        return items;
    }
}
