package dev.siyu.store;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.port.WeComApi;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/** The production ports: every store on the DynamoDB single table, journey steps and triggers on SQS. */
public final class DynamoPorts {
    private DynamoPorts() {
    }

    /**
     * @param wecom the WeCom API (WxJava in AWS and against the local stub)
     * @param meter adds up the capacity the stores consume (benchmarks print it)
     */
    public static Ports create(DynamoDbClient dynamo, SqsClient sqs, StoreSettings store, WeComApi wecom,
                               CapacityMeter meter) {
        String table = store.tableName();
        ObjectMapper json = new ObjectMapper();
        SqsJourneyQueue triggers = new SqsJourneyQueue(sqs, store.queueUrl(), json);
        DynamoCustomerStore customers = new DynamoCustomerStore(dynamo, table, meter);
        return new Ports(customers, customers, new DynamoProfileScan(dynamo, table, meter),
                new DynamoJourneyRunStore(dynamo, table, meter), new DynamoOutreachCounters(dynamo, table, meter),
                new DynamoDecisionCounts(dynamo, table, meter), new DynamoGroupStore(dynamo, table, meter),
                new DynamoChannelStore(dynamo, table, meter), new DynamoStaffLoadStore(dynamo, table, meter),
                new DynamoTransferLedger(dynamo, table, meter),
                new DynamoTenantLog(dynamo, table, meter), new DynamoTimerStore(dynamo, table, meter),
                new SqsStepQueue(sqs, store.queueUrl(), json), triggers,
                new DynamoConfigStore(dynamo, table, meter), wecom, new DynamoMediaCache(dynamo, table, meter),
                new DynamoDeskStore(dynamo, table, meter), new DynamoSubscriptionStore(dynamo, table, meter),
                MiniProgram.NONE);
    }

    public static Ports create(AwsClients aws, StoreSettings store, WeComApi wecom, CapacityMeter meter) {
        return create(aws.dynamoDb(), aws.sqs(), store, wecom, meter);
    }
}
