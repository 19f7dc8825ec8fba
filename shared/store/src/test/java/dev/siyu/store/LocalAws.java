package dev.siyu.store;

import dev.siyu.stack.aws.EmbeddedDynamoDb;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** One DynamoDB Local with the suite's table, for one test class; closed with the class. */
final class LocalAws implements AutoCloseable {
    static final String TABLE = "siyu-test";

    private final EmbeddedDynamoDb dynamoDb;
    private final DynamoDbClient client;

    private LocalAws(EmbeddedDynamoDb dynamoDb, DynamoDbClient client) {
        this.dynamoDb = dynamoDb;
        this.client = client;
    }

    static LocalAws start() {
        EmbeddedDynamoDb db = EmbeddedDynamoDb.start(0);
        StoreSettings settings = StoreSettings.local(TABLE, "unused", db.endpoint(), db.endpoint());
        DynamoDbClient client = new AwsClients(settings).dynamoDb();
        // No TTL sweep: the tests write expiries at fixed instants in the past, and DynamoDB Local's sweep
        // (by the real clock) would delete a claim in the middle of a test that checks it.
        SiyuTable.createIfMissing(client, TABLE, false);
        return new LocalAws(db, client);
    }

    DynamoDbClient dynamo() {
        return client;
    }

    @Override
    public void close() {
        client.close();
        dynamoDb.close();
    }
}
