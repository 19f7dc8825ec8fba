package dev.siyu.testkit;

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
 * What a scheduled function (the scheduler, the scoring function) talks to in tests: DynamoDB Local, ElasticMQ and
 * the WeCom stub with the function's own table
 * and queue created and the example blueprint stored as config version 1, plus the stores the tests
 * seed and read back through. The function's clock and the tests' are the same shifted clock, pinned
 * to a Tuesday morning in the blueprint's time zone (business hours, SOP slots already due).
 */
public class JobStack implements AutoCloseable {
    /** Tuesday 2026-11-24 10:00 Asia/Shanghai. */
    public static final Instant PINNED = Instant.parse("2026-11-24T02:00:00Z");

    public final String table;

    public final LocalServices services;
    public final Duration clockOffset;
    public final Clock clock;
    public final AwsClients aws;
    public final StoreSettings store;
    public final WeComSettings wecom;
    public final DynamoCustomerStore customers;
    public final DynamoJourneyRunStore runs;
    public final DynamoTimerStore timers;
    public final DynamoGroupStore groups;
    public final String tenant;
    private final DueStepJson steps = new DueStepJson(new ObjectMapper());

    /**
     * @param name the function's name: its table is {@code siyu-<name>-test}, its queue
     *             {@code siyu-<name>-test-journeys}
     */
    protected JobStack(LocalServices services, String name) {
        this.services = services;
        this.table = "siyu-" + name + "-test";
        this.clockOffset = Duration.between(Instant.now(), PINNED);
        this.clock = Clock.offset(Clock.systemUTC(), clockOffset);
        StoreSettings local = StoreSettings.local(table, "", services.dynamo().endpoint(), services.sqs().endpoint());
        AwsClients bootstrap = new AwsClients(local);
        SiyuTable.createIfMissing(bootstrap.dynamoDb(), table);
        this.store = local.withQueueUrl(SqsQueues.createIfMissing(bootstrap.sqs(), table + "-journeys"));
        this.aws = new AwsClients(store);
        Map<String, String> env = services.env();
        this.wecom = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"), env.get("SIYU_WECOM_TOKEN"),
                env.get("SIYU_WECOM_AES_KEY")).withApiBaseUrl(services.stub().baseUrl());
        CapacityMeter meter = new CapacityMeter();
        this.customers = new DynamoCustomerStore(aws.dynamoDb(), table, meter);
        this.runs = new DynamoJourneyRunStore(aws.dynamoDb(), table, meter);
        this.timers = new DynamoTimerStore(aws.dynamoDb(), table, meter);
        this.groups = new DynamoGroupStore(aws.dynamoDb(), table, meter);
        BlueprintApplier applier = new BlueprintApplier(new ConfigLoader(), new DynamoConfigStore(aws.dynamoDb(), table, meter),
                new ChannelCodeProvisioner(new WxJavaWeComApi(wecom), new DynamoChannelStore(aws.dynamoDb(), table, meter),
                        new DynamoStaffLoadStore(aws.dynamoDb(), table, meter), new StaffRouter(), clock));
        this.tenant = applier.apply(services.read("config/scrm.example.yaml"), "scrm.example.yaml").config().tenant();
    }

    /** What the function reads from its environment in Lambda (template.yaml), plus the test clock. */
    public Map<String, String> functionConfig() {
        return Map.ofEntries(Map.entry("siyu.table", table),
                Map.entry("siyu.tenant", tenant),
                Map.entry("siyu.dynamodb.endpoint", services.dynamo().endpoint().toString()),
                Map.entry("siyu.sqs.endpoint", services.sqs().endpoint().toString()),
                Map.entry("siyu.journey-queue-url", store.queueUrl()),
                Map.entry("siyu.wecom.api-base-url", services.stub().baseUrl()),
                Map.entry("siyu.wecom.corp-id", wecom.corpId()),
                Map.entry("siyu.wecom.secret", wecom.secret()),
                Map.entry("siyu.wecom.contacts-secret", services.env().get("SIYU_WECOM_CONTACTS_SECRET")),
                Map.entry("siyu.clock.offset", clockOffset.toString()));
    }

    public static String externalUserId() {
        return "wm" + UUID.randomUUID().toString().replace("-", "");
    }

    /** A customer of {@code staff} added {@code daysAgo} days ago, with the activity given (null: none). */
    public CustomerProfile customer(String staff, long daysAgo, Activity activity, String... tags) {
        return customerWithId(externalUserId(), staff, daysAgo, activity, tags);
    }

    /** As {@link #customer}, with the external userid an events/ sample names. */
    public CustomerProfile customerWithId(String externalUserId, String staff, long daysAgo, Activity activity,
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
    public GroupStore.Group group(String groupType, int members) {
        String chatId = "wr" + UUID.randomUUID().toString().replace("-", "");
        GroupStore.Group g = new GroupStore.Group(tenant, chatId, groupType + " " + chatId.substring(2, 6), groupType,
                "zhangsan", members, "active", clock.instant().minus(Duration.ofDays(60)), "jw-" + chatId,
                "https://wework.qpic.cn/wwpic/joinway/" + chatId, null);
        groups.save(g);
        return g;
    }

    public List<TimelineEvent> timeline(CustomerProfile p, String kind) {
        return customers.timeline(tenant, p.customerId()).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    public CustomerProfile profile(CustomerProfile p) {
        return customers.profile(tenant, p.customerId()).orElseThrow();
    }

    /** Due steps on the journey queue for these customers; reads (and deletes) until all are seen or wait ends. */
    public List<DueStep> queuedSteps(Set<String> customerIds, int expected, Duration wait) {
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
