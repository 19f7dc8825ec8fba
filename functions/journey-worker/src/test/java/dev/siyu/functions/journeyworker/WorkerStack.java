package dev.siyu.functions.journeyworker;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.timer.DueStep;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DueStepJson;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoJourneyRunStore;
import dev.siyu.store.DynamoStaffLoadStore;
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
 * What the worker talks to in tests: DynamoDB Local, ElasticMQ and the WeCom stub with the table and
 * queue created and the example blueprint stored as config version 1, plus the stores the tests read
 * back through. The function's clock and the tests' are the same shifted clock, pinned to a Tuesday
 * morning in the blueprint's time zone, so business-hours rules never depend on when the build runs.
 */
public final class WorkerStack implements AutoCloseable {
    static final String TABLE = "siyu-worker-test";
    /** Tuesday 2026-11-24 10:00 Asia/Shanghai: inside the example's business hours (09:00-21:00). */
    static final Instant PINNED = Instant.parse("2026-11-24T02:00:00Z");

    final LocalServices services;
    final Duration clockOffset;
    final Clock clock;
    final AwsClients aws;
    final StoreSettings store;
    final WeComSettings wecom;
    final DynamoCustomerStore customers;
    final DynamoJourneyRunStore runs;
    /** The staff desk's tasks, where journey messages wait for the customer's advisor. */
    final dev.siyu.store.DynamoDeskStore desk;
    final String tenant;
    private final DueStepJson steps = new DueStepJson(new ObjectMapper());

    private WorkerStack(LocalServices services) {
        this.services = services;
        this.clockOffset = Duration.between(Instant.now(), PINNED);
        this.clock = Clock.offset(Clock.systemUTC(), clockOffset);
        StoreSettings local = StoreSettings.local(TABLE, "", services.dynamo().endpoint(), services.sqs().endpoint());
        AwsClients bootstrap = new AwsClients(local);
        SiyuTable.createIfMissing(bootstrap.dynamoDb(), TABLE);
        this.store = local.withQueueUrl(SqsQueues.createIfMissing(bootstrap.sqs(), "siyu-worker-test-journeys"));
        this.aws = new AwsClients(store);
        Map<String, String> env = services.env();
        this.wecom = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"), env.get("SIYU_WECOM_TOKEN"),
                env.get("SIYU_WECOM_AES_KEY")).withApiBaseUrl(services.stub().baseUrl());
        CapacityMeter meter = new CapacityMeter();
        this.customers = new DynamoCustomerStore(aws.dynamoDb(), TABLE, meter);
        this.runs = new DynamoJourneyRunStore(aws.dynamoDb(), TABLE, meter);
        this.desk = new dev.siyu.store.DynamoDeskStore(aws.dynamoDb(), TABLE, meter);
        BlueprintApplier applier = new BlueprintApplier(new ConfigLoader(), new DynamoConfigStore(aws.dynamoDb(), TABLE, meter),
                new ChannelCodeProvisioner(new WxJavaWeComApi(wecom), new DynamoChannelStore(aws.dynamoDb(), TABLE, meter),
                        new DynamoStaffLoadStore(aws.dynamoDb(), TABLE, meter), new StaffRouter(), clock));
        this.tenant = applier.apply(services.read("config/scrm.example.yaml"), "scrm.example.yaml").config().tenant();
    }

    static WorkerStack start() {
        LocalServices services = LocalServices.start();
        try {
            return new WorkerStack(services);
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
                Map.entry("siyu.clock.offset", clockOffset.toString()));
    }

    /**
     * A customer who added {@code staff} through the channel {@code state} a minute ago, as the
     * callback records one: profile, external_userid alias, contact_added on the timeline.
     */
    CustomerProfile customer(String externalUserId, String staff, String state) {
        Instant at = clock.instant().minusSeconds(60);
        String id = "wx-" + externalUserId;
        CustomerProfile p = new CustomerProfile(tenant, id, "Customer " + externalUserId.substring(0, 8), null, state,
                state, null, "Shanghai", Set.of("new_customer"),
                Map.of(staff, StaffRelationship.started(staff, state, at, false)),
                Map.of(IdentityType.EXTERNAL_USERID.key(), externalUserId), at, at, null);
        customers.claimIdentity(tenant, IdentityType.EXTERNAL_USERID, externalUserId, id);
        customers.save(p, List.of(new TimelineEvent("ev-" + UUID.randomUUID(), at, "contact_added", staff,
                Map.of("state", state))));
        return p;
    }

    CustomerProfile newCustomer() {
        return customer("wm" + UUID.randomUUID().toString().replace("-", ""), "zhangsan", "parcel_card_east");
    }

    List<TimelineEvent> timeline(CustomerProfile p, String kind) {
        return customers.timeline(tenant, p.customerId()).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    /** The customer's open desk tasks (journey messages and staff tasks left for their advisor to send). */
    List<dev.siyu.core.desk.DeskTask> deskTasks(CustomerProfile p) {
        return p.relationships().keySet().stream().flatMap(staff -> desk.open(tenant, staff).stream())
                .filter(t -> t.customerId().equals(p.customerId())).toList();
    }

    /** add_msg_template calls that named this customer and that WeCom accepted. */
    List<RecordedCall> messagesTo(CustomerProfile p) {
        return services.stub().calls("externalcontact/add_msg_template").stream()
                .filter(c -> c.errcode() == 0)
                .filter(c -> c.body().path("external_userid").toString().contains(p.externalUserId())).toList();
    }

    /**
     * The due steps waiting on the journey queue for this customer (delayed ones included, so this
     * waits up to {@code wait}); every message read is deleted, so each test sees only what came after.
     */
    List<DueStep> queuedSteps(String customerId, Duration wait) {
        List<DueStep> found = new ArrayList<>();
        long deadline = System.nanoTime() + wait.toNanos();
        do {
            List<Message> batch = aws.sqs().receiveMessage(b -> b.queueUrl(store.queueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages();
            for (Message m : batch) {
                aws.sqs().deleteMessage(b -> b.queueUrl(store.queueUrl()).receiptHandle(m.receiptHandle()));
                if (m.body().contains("\"runId\"")) {
                    DueStep s = steps.read(m.body());
                    if (s.customerId().equals(customerId)) {
                        found.add(s);
                    }
                }
            }
        } while (found.isEmpty() && System.nanoTime() < deadline);
        return found;
    }

    String stepJson(DueStep step) {
        return steps.write(step);
    }

    @Override
    public void close() {
        services.close();
    }
}
