package dev.siyu.functions.wecomcallback;

import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.stack.aws.EmbeddedDynamoDb;
import dev.siyu.stack.aws.EmbeddedSqs;
import dev.siyu.stack.wecom.WeComStub;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import dev.siyu.testkit.LocalServices;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The real parts the function talks to in tests: DynamoDB Local, ElasticMQ and the WeCom stub,
 * with the example blueprint applied (config stored, channel codes created through the stub).
 */
public final class LocalStack implements AutoCloseable {
    static final String TABLE = "siyu-test";
    static final Path ROOT = Path.of("../..");

    private final LocalServices services;
    final EmbeddedDynamoDb dynamo;
    final EmbeddedSqs sqs;
    final WeComStub stub;
    final AwsClients aws;
    final StoreSettings storeSettings;
    final WeComSettings wecomSettings;
    final DynamoCustomerStore customers;
    final BlueprintApplier.Applied applied;

    private LocalStack(LocalServices services) throws IOException {
        this.services = services;
        this.dynamo = services.dynamo();
        this.sqs = services.sqs();
        this.stub = services.stub();
        Map<String, String> env = services.env();
        StoreSettings local = StoreSettings.local(TABLE, "", dynamo.endpoint(), sqs.endpoint());
        AwsClients clients = new AwsClients(local);
        SiyuTable.createIfMissing(clients.dynamoDb(), TABLE);
        this.storeSettings = local.withQueueUrl(SqsQueues.createIfMissing(clients.sqs(), "siyu-journeys"));
        this.aws = new AwsClients(storeSettings);
        this.wecomSettings = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"),
                env.get("SIYU_WECOM_TOKEN"), env.get("SIYU_WECOM_AES_KEY")).withApiBaseUrl(stub.baseUrl());
        CapacityMeter meter = new CapacityMeter();
        this.customers = new DynamoCustomerStore(aws.dynamoDb(), TABLE, meter);
        BlueprintApplier applier = new BlueprintApplier(new ConfigLoader(),
                new DynamoConfigStore(aws.dynamoDb(), TABLE, meter),
                new ChannelCodeProvisioner(new WxJavaWeComApi(wecomSettings), new DynamoChannelStore(aws.dynamoDb(), TABLE, meter),
                        new DynamoStaffLoadStore(aws.dynamoDb(), TABLE, meter), new StaffRouter(), Clock.systemUTC()));
        this.applied = applier.apply(Files.readString(ROOT.resolve("config/scrm.example.yaml")), "scrm.example.yaml");
    }

    /** The servers come from dev.siyu.testkit (shared with the other functions' tests); the seeding is the callback's. */
    static LocalStack start() {
        LocalServices services = LocalServices.start();
        try {
            return new LocalStack(services);
        } catch (IOException | RuntimeException e) {
            services.close();
            throw new IllegalStateException("cannot start the local stack", e);
        }
    }

    /** What the function reads from its environment in Lambda. */
    Map<String, String> functionConfig() {
        return Map.of("siyu.table", TABLE,
                "siyu.tenant", applied.config().tenant(),
                "siyu.dynamodb.endpoint", dynamo.endpoint().toString(),
                "siyu.sqs.endpoint", sqs.endpoint().toString(),
                "siyu.journey-queue-url", storeSettings.queueUrl(),
                "siyu.wecom.api-base-url", stub.baseUrl(),
                "siyu.wecom.corp-id", wecomSettings.corpId(),
                "siyu.wecom.token", wecomSettings.token(),
                "siyu.wecom.aes-key", wecomSettings.aesKey(),
                "siyu.wecom.secret", wecomSettings.secret());
    }

    /** Every item in the table: tests prove a rejected request wrote nothing by comparing these. */
    long itemCount() {
        return aws.dynamoDb().scanPaginator(ScanRequest.builder().tableName(TABLE).build()).items().stream().count();
    }

    @Override
    public void close() {
        services.close();
    }
}
