package dev.siyu.store;

import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.CreateTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.DescribeTimeToLiveResponse;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemResponse;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemResponse;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateTimeToLiveResponse;

/**
 * A DynamoDB client that counts each write on the item it writes ({@link ItemWrites}) and passes every
 * call on unchanged; the benchmarks wrap the stack's client with it. Every operation the stores use is
 * passed on; an operation not listed here is one they do not use.
 */
public final class CountingDynamoDb implements DynamoDbClient {
    private final DynamoDbClient delegate;
    private final ItemWrites writes;

    public CountingDynamoDb(DynamoDbClient delegate, ItemWrites writes) {
        this.delegate = delegate;
        this.writes = writes;
    }

    @Override
    public PutItemResponse putItem(PutItemRequest r) {
        writes.write(keyOf(r.item()));
        return delegate.putItem(r);
    }

    @Override
    public UpdateItemResponse updateItem(UpdateItemRequest r) {
        writes.write(r.key());
        return delegate.updateItem(r);
    }

    @Override
    public DeleteItemResponse deleteItem(DeleteItemRequest r) {
        writes.write(r.key());
        return delegate.deleteItem(r);
    }

    @Override
    public BatchWriteItemResponse batchWriteItem(BatchWriteItemRequest r) {
        r.requestItems().values().forEach(list -> list.forEach(w -> {
            if (w.putRequest() != null) {
                writes.write(keyOf(w.putRequest().item()));
            } else if (w.deleteRequest() != null) {
                writes.write(w.deleteRequest().key());
            }
        }));
        return delegate.batchWriteItem(r);
    }

    @Override
    public TransactWriteItemsResponse transactWriteItems(TransactWriteItemsRequest r) {
        for (TransactWriteItem t : r.transactItems()) {
            if (t.put() != null) {
                writes.write(keyOf(t.put().item()));
            } else if (t.update() != null) {
                writes.write(t.update().key());
            } else if (t.delete() != null) {
                writes.write(t.delete().key());
            }
        }
        return delegate.transactWriteItems(r);
    }

    @Override
    public GetItemResponse getItem(GetItemRequest r) {
        return delegate.getItem(r);
    }

    @Override
    public BatchGetItemResponse batchGetItem(BatchGetItemRequest r) {
        return delegate.batchGetItem(r);
    }

    @Override
    public TransactGetItemsResponse transactGetItems(TransactGetItemsRequest r) {
        return delegate.transactGetItems(r);
    }

    @Override
    public QueryResponse query(QueryRequest r) {
        return delegate.query(r);
    }

    @Override
    public ScanResponse scan(ScanRequest r) {
        return delegate.scan(r);
    }

    @Override
    public DescribeTableResponse describeTable(DescribeTableRequest r) {
        return delegate.describeTable(r);
    }

    @Override
    public CreateTableResponse createTable(CreateTableRequest r) {
        return delegate.createTable(r);
    }

    @Override
    public UpdateTimeToLiveResponse updateTimeToLive(UpdateTimeToLiveRequest r) {
        return delegate.updateTimeToLive(r);
    }

    @Override
    public DescribeTimeToLiveResponse describeTimeToLive(DescribeTimeToLiveRequest r) {
        return delegate.describeTimeToLive(r);
    }

    @Override
    public String serviceName() {
        return delegate.serviceName();
    }

    @Override
    public void close() {
        // the wrapped client belongs to whoever made it
    }

    private static Map<String, AttributeValue> keyOf(Map<String, AttributeValue> item) {
        return Map.of(SiyuTable.PK, item.getOrDefault(SiyuTable.PK, AttributeValue.fromS("")),
                SiyuTable.SK, item.getOrDefault(SiyuTable.SK, AttributeValue.fromS("")));
    }

}
