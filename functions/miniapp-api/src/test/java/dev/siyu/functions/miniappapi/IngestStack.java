package dev.siyu.functions.miniappapi;

import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.member.LedgerEntry;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoPointsLedger;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import dev.siyu.testkit.LocalServices;
import dev.siyu.testkit.StackResource;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * The real parts the function talks to in tests: DynamoDB Local, ElasticMQ and the WeCom stub, with the
 * example blueprint applied, and readers for what a test checks (profiles, timelines, ledgers, item count).
 */
public final class IngestStack implements AutoCloseable {
    static final String TABLE = "siyu-test";
    static final String TENANT = "demo-brand";

    final LocalServices services;
    final AwsClients aws;
    final StoreSettings storeSettings;
    final WeComSettings wecomSettings;
    final DynamoCustomerStore customers;
    final DynamoPointsLedger ledger;
    final Map<String, String> env;

    private IngestStack(LocalServices services) {
        this.services = services;
        this.env = services.env();
        StoreSettings local = StoreSettings.local(TABLE, "", services.dynamo().endpoint(), services.sqs().endpoint());
        AwsClients clients = new AwsClients(local);
        SiyuTable.createIfMissing(clients.dynamoDb(), TABLE);
        this.storeSettings = local.withQueueUrl(SqsQueues.createIfMissing(clients.sqs(), "siyu-journeys"));
        this.aws = new AwsClients(storeSettings);
        this.wecomSettings = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"),
                env.get("SIYU_WECOM_TOKEN"), env.get("SIYU_WECOM_AES_KEY")).withApiBaseUrl(services.stub().baseUrl());
        CapacityMeter meter = new CapacityMeter();
        this.customers = new DynamoCustomerStore(aws.dynamoDb(), TABLE, meter);
        this.ledger = new DynamoPointsLedger(aws.dynamoDb(), TABLE, meter, customers);
        new BlueprintApplier(new ConfigLoader(), new DynamoConfigStore(aws.dynamoDb(), TABLE, meter),
                new ChannelCodeProvisioner(new WxJavaWeComApi(wecomSettings),
                        new DynamoChannelStore(aws.dynamoDb(), TABLE, meter),
                        new DynamoStaffLoadStore(aws.dynamoDb(), TABLE, meter), new StaffRouter(), Clock.systemUTC()))
                .apply(services.read("config/scrm.example.yaml"), "scrm.example.yaml");
    }

    static IngestStack start() {
        LocalServices services = LocalServices.start();
        try {
            return new IngestStack(services);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** What the function reads from its environment in Lambda (template.yaml), pointed at the local parts. */
    Map<String, String> functionConfig() {
        Map<String, String> c = new HashMap<>();
        c.put("siyu.table", TABLE);
        c.put("siyu.tenant", TENANT);
        c.put("siyu.dynamodb.endpoint", services.dynamo().endpoint().toString());
        c.put("siyu.sqs.endpoint", services.sqs().endpoint().toString());
        c.put("siyu.journey-queue-url", storeSettings.queueUrl());
        c.put("siyu.wecom.api-base-url", services.stub().baseUrl());
        c.put("siyu.wecom.corp-id", wecomSettings.corpId());
        c.put("siyu.wecom.secret", wecomSettings.secret());
        c.put("siyu.identity.hash-key", env.get("SIYU_IDENTITY_HASH_KEY"));
        // The member routes' keys (config/local.env): the function needs them to start, whichever routes a test calls.
        c.put("siyu.miniapp.secret", env.get("SIYU_MINIAPP_SECRET"));
        c.put("siyu.miniapp.token-key", env.get("SIYU_MINIAPP_TOKEN_KEY"));
        c.put("siyu.miniapp.data-key", env.get("SIYU_MINIAPP_DATA_KEY"));
        c.put("siyu.staff.session-key", env.get("SIYU_CHECKIN_SESSION_KEY"));
        for (String source : List.of("POS", "WEBSHOP", "EMAIL", "WEBSITE")) {
            c.put("siyu.ingest.secret." + source.toLowerCase(java.util.Locale.ROOT), env.get("SIYU_INGEST_SECRET_" + source));
        }
        return c;
    }

    String secret(String source) {
        return env.get("SIYU_INGEST_SECRET_" + source.toUpperCase(java.util.Locale.ROOT));
    }

    CustomerProfile profile(String customerId) {
        return customers.profile(TENANT, customerId).orElseThrow();
    }

    List<TimelineEvent> timeline(String customerId, String kind) {
        return customers.timeline(TENANT, customerId).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    List<LedgerEntry> entries(String customerId) {
        return ledger.entries(TENANT, customerId);
    }

    /** Every item in the table: tests prove a refused request wrote nothing by comparing these. */
    long itemCount() {
        return aws.dynamoDb().scanPaginator(ScanRequest.builder().tableName(TABLE).consistentRead(true).build())
                .items().stream().count();
    }

    @Override
    public void close() {
        services.close();
    }

    /** Starts the stack before the function and hands it to {@code @InjectStack} fields. */
    public static class Resource extends StackResource<IngestStack> {
        @Override
        protected IngestStack open() {
            return IngestStack.start();
        }

        @Override
        protected Map<String, String> functionConfig(IngestStack stack) {
            return stack.functionConfig();
        }
    }
}
