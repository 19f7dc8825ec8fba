package dev.siyu.store;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the stores live. An endpoint is set only off AWS (DynamoDB Local, ElasticMQ, LocalStack);
 * on Lambda both are empty and the SDK resolves the regional endpoints itself.
 */
public record StoreSettings(String tableName, String queueUrl, String region, Optional<URI> dynamoDbEndpoint,
                            Optional<URI> sqsEndpoint) {

    public StoreSettings {
        Objects.requireNonNull(tableName, "tableName");
        Objects.requireNonNull(region, "region");
        dynamoDbEndpoint = dynamoDbEndpoint == null ? Optional.empty() : dynamoDbEndpoint;
        sqsEndpoint = sqsEndpoint == null ? Optional.empty() : sqsEndpoint;
        if (tableName.length() < 3) {
            // DynamoDB (and DynamoDB Local) reject shorter names only at the first request; fail at wiring instead.
            throw new IllegalArgumentException("table name needs at least 3 characters: " + tableName);
        }
    }

    /** On AWS: regional endpoints, credentials from the Lambda environment. */
    public static StoreSettings aws(String tableName, String queueUrl, String region) {
        return new StoreSettings(tableName, queueUrl, region, Optional.empty(), Optional.empty());
    }

    /** Against local endpoints (the embedded stack or LocalStack). */
    public static StoreSettings local(String tableName, String queueUrl, URI dynamoDbEndpoint, URI sqsEndpoint) {
        return new StoreSettings(tableName, queueUrl, "us-east-1", Optional.of(dynamoDbEndpoint),
                Optional.of(sqsEndpoint));
    }

    public StoreSettings withQueueUrl(String url) {
        return new StoreSettings(tableName, url, region, dynamoDbEndpoint, sqsEndpoint);
    }
}
