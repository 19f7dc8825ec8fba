package dev.siyu.local;

import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.StoreSettings;
import java.net.URI;

/** Read access to a running stack's table, for the channels and profile commands. */
record TableReader(DynamoChannelStore channels, DynamoCustomerStore customers) {
    static TableReader of(URI dynamoDb, String table) {
        // The SQS endpoint is never used by readers; StoreSettings.local just wants one.
        AwsClients aws = new AwsClients(StoreSettings.local(table, "", dynamoDb, dynamoDb));
        CapacityMeter meter = new CapacityMeter();
        return new TableReader(new DynamoChannelStore(aws.dynamoDb(), table, meter),
                new DynamoCustomerStore(aws.dynamoDb(), table, meter));
    }
}
