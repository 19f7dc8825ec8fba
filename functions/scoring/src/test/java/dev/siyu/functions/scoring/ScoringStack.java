package dev.siyu.functions.scoring;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.profile.Activity;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.DueStep;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DueStepJson;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoGroupStore;
import dev.siyu.store.DynamoJourneyRunStore;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.DynamoTimerStore;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import dev.siyu.testkit.LocalServices;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import software.amazon.awssdk.services.sqs.model.Message;

/**
 * What the scoring function talks to in tests: DynamoDB Local, ElasticMQ and the WeCom stub with the table
 * and queue created and the example blueprint stored as config version 1, plus the stores the tests
 * seed and read back through. The function's clock and the tests' are the same shifted clock, pinned
 * to a Tuesday morning in the blueprint's time zone (business hours, SOP slots already due).
 */
public final class ScoringStack implements AutoCloseable {
    static final String TABLE = "siyu-scoring-test";
    /** Tuesday 2026-11-24 10:00 Asia/Shanghai. */
    static final Instant PINNED = Instant.parse("2026-11-24T02:00:00Z");

    final LocalServices services;
    final Duration clockOffset;
    final Clock clock;
    final AwsClients aws;
    final StoreSettings store;
    final WeComSettings wecom;
    final DynamoCustomerStore customers;
    final DynamoJourneyRunStore runs;
    final DynamoTimerStore timers;
    final DynamoGroupStore groups;
    final String tenant;
    private final DueStepJson steps = new DueStepJson(new ObjectMapper());

    private ScoringStack(LocalServices services) {
        this.services = services;
        this.clockOffset = Duration.between(Instant.now(), PINNED);
        this.clock = Clock.offset(Clock.systemUTC(), clockOffset);
        StoreSettings local = StoreSettings.local(TABLE, "", services.dynamo().endpoint(), services.sqs().endpoint());
        AwsClients bootstrap = new AwsClients(local);
        SiyuTable.createIfMissing(bootstrap.dynamoDb(), TABLE);
        this.store = local.withQueueUrl(SqsQueues.createIfMissing(bootstrap.sqs(), "siyu-scoring-test-journeys"));
        this.aws = new AwsClients(store);
        Map<String, String> env = services.env();
        this.wecom = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"), env.get("SIYU_WECOM_TOKEN"),
                env.get("SIYU_WECOM_AES_KEY")).withApiBaseUrl(services.stub().baseUrl());
        CapacityMeter meter = new CapacityMeter();
        this.customers = new DynamoCustomerStore(aws.dynamoDb(), TABLE, meter);
        this.runs = new DynamoJourneyRunStore(aws.dynamoDb(), TABLE, meter);
        this.timers = new DynamoTimerStore(aws.dynamoDb(), TABLE, meter);
        this.groups = new DynamoGroupStore(aws.dynamoDb(), TABLE, meter);
        BlueprintApplier applier = new BlueprintApplier(new ConfigLoader(), new DynamoConfigStore(aws.dynamoDb(), TABLE, meter),
                new ChannelCodeProvisioner(new WxJavaWeComApi(wecom), new DynamoChannelStore(aws.dynamoDb(), TABLE, meter),
                        new DynamoStaffLoadStore(aws.dynamoDb(), TABLE, meter), new StaffRouter(), clock));
        this.tenant = applier.apply(services.read("config/scrm.example.yaml"), "scrm.example.yaml").config().tenant();
    }

    static ScoringStack start() {
        LocalServices services = LocalServices.start();
        try {
            return new ScoringStack(services);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    /** What the function reads from its environment in Lambda (template.yaml), plus the test clock. */
    Map<String, String> functionConfig() {
        return Map.ofEntries(Map.entry("siyu.table", TABLE),
                Map.entry("siyu.tenant", tenant),
                Map.entry("siyu.dynamodb.endpoint", services.dynamo().endpoint().toString()),
                Map.entry("siyu.sqs.endpoint", services.sqs().endpoint().toString()),
                Map.entry("siyu.journey-queue-url", store.queueUrl()),
                Map.entry("siyu.wecom.api-base-url", services.stub().baseUrl()),
                Map.entry("siyu.wecom.corp-id", wecom.corpId()),
                Map.entry("siyu.wecom.secret", wecom.secret()),
                Map.entry("siyu.wecom.contacts-secret", services.env().get("SIYU_WECOM_CONTACTS_SECRET")),
                Map.entry("siyu.clock.offset", clockOffset.toString()),
                Map.entry("siyu.scoring.model-dir", modelDir()));
    }

    private static String modelDir() {
        try {
            return java.nio.file.Files.createTempDirectory("siyu-scoring-models").toString();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String externalUserId() {
        return "wm" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A customer of {@code staff} added {@code daysAgo} days ago, with the activity given (null: none). */
    CustomerProfile customer(String staff, long daysAgo, Activity activity, String... tags) {
        return customerWithId(externalUserId(), staff, daysAgo, activity, tags);
    }

    /** As {@link #customer}, with the external userid an events/ sample names. */
    CustomerProfile customerWithId(String externalUserId, String staff, long daysAgo, Activity activity,
                                   String... tags) {
        Instant at = clock.instant().minus(Duration.ofDays(daysAgo)).minusSeconds(60);
        String id = "wx-" + externalUserId;
        CustomerProfile p = new CustomerProfile(tenant, id, "Customer " + externalUserId.substring(2, 10), null,
                "parcel_card_east", "Package Insert - East China Warehouse", null, "Shanghai", Set.of(tags),
                Map.of(staff, StaffRelationship.started(staff, "parcel_card_east", at, false)),
                Map.of(IdentityType.EXTERNAL_USERID.key(), externalUserId), at, at, activity);
        customers.claimIdentity(tenant, IdentityType.EXTERNAL_USERID, externalUserId, id);
        customers.save(p, List.of(new TimelineEvent("ev-" + UUID.randomUUID(), at, "contact_added", staff,
                Map.of("state", "parcel_card_east"))));
        return p;
    }

    /** An active group of ours, owned by zhangsan, with the join way its invites carry. */
    GroupStore.Group group(String groupType, int members) {
        String chatId = "wr" + UUID.randomUUID().toString().replace("-", "");
        GroupStore.Group g = new GroupStore.Group(tenant, chatId, groupType + " " + chatId.substring(2, 6), groupType,
                "zhangsan", members, "active", clock.instant().minus(Duration.ofDays(60)), "jw-" + chatId,
                "https://wework.qpic.cn/wwpic/joinway/" + chatId, null);
        groups.save(g);
        return g;
    }

    List<TimelineEvent> timeline(CustomerProfile p, String kind) {
        return customers.timeline(tenant, p.customerId()).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    CustomerProfile profile(CustomerProfile p) {
        return customers.profile(tenant, p.customerId()).orElseThrow();
    }

    /** Due steps on the journey queue for these customers; reads (and deletes) until all are seen or wait ends. */
    List<DueStep> queuedSteps(Set<String> customerIds, int expected, Duration wait) {
        List<DueStep> found = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(store.queueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            for (Message m : batch) {
                aws.sqs().deleteMessage(b -> b.queueUrl(store.queueUrl()).receiptHandle(m.receiptHandle()));
                DueStep s = steps.read(m.body());
                if (customerIds.contains(s.customerId())) {
                    found.add(s);
                }
            }
        } while (found.size() < expected && System.nanoTime() < deadline);
        return found;
    }

    @Override
    public void close() {
        services.close();
    }
}
