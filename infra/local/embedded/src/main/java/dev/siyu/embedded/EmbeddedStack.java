package dev.siyu.embedded;

import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.stack.aws.EmbeddedDynamoDb;
import dev.siyu.stack.aws.EmbeddedSqs;
import dev.siyu.stack.miniapp.MiniProgramStub;
import dev.siyu.stack.wecom.WeComStub;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoPorts;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.time.Clock;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * DynamoDB Local, ElasticMQ and the WeCom stub in this JVM, with the table and journey queue
 * created and a blueprint applied (config stored, channel codes created through the stub): what
 * the callback function needs around it. The same calls as the function's own test stack.
 */
public final class EmbeddedStack implements AutoCloseable {
    public static final String TABLE = "siyu";
    public static final String QUEUE = "siyu-journeys";

    /** The DynamoDB Local server; null when the stack runs DynamoDB Local in-process ({@link #startInProcess}). */
    public final EmbeddedDynamoDb dynamo;
    /** The client every store of this stack uses: to {@link #dynamo} over HTTP, or DynamoDB Local's in-process one. */
    public final DynamoDbClient dynamoDb;
    public final EmbeddedSqs sqs;
    public final WeComStub stub;
    /**
     * The WeChat Mini Program stub the demo's members sign in through (jscode2session); null on a stack from
     * {@link #start}, where ./siyu local runs its own beside the miniapp-api function.
     */
    public final MiniProgramStub miniProgram;
    public final StoreSettings storeSettings;
    public final AwsClients aws;
    public final WeComSettings wecomSettings;
    public final CapacityMeter meter;
    public final DynamoCustomerStore customers;
    public final BlueprintApplier.Applied applied;

    private EmbeddedStack(EmbeddedDynamoDb dynamo, DynamoDbClient inProcess, EmbeddedSqs sqs, WeComStub stub,
                          MiniProgramStub miniProgram, WeComSettings wecom, Blueprint blueprint) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.stub = stub;
        this.miniProgram = miniProgram;
        // In-process: an endpoint nothing listens on, so a client built from the settings by mistake fails
        // at once instead of reaching for AWS.
        StoreSettings local = StoreSettings.local(TABLE, "",
                dynamo == null ? java.net.URI.create("http://127.0.0.1:9") : dynamo.endpoint(), sqs.endpoint());
        AwsClients bootstrap = new AwsClients(local);
        this.dynamoDb = inProcess != null ? inProcess : bootstrap.dynamoDb();
        // In-process is the demo's, on a virtual clock weeks behind the real one that DynamoDB Local's TTL
        // sweep goes by: with TTL on, it would delete touch records the virtual present still counts.
        SiyuTable.createIfMissing(dynamoDb, TABLE, inProcess == null);
        this.storeSettings = local.withQueueUrl(SqsQueues.createIfMissing(bootstrap.sqs(), QUEUE));
        this.aws = new AwsClients(storeSettings);
        this.wecomSettings = wecom.withApiBaseUrl(stub.baseUrl());
        this.meter = new CapacityMeter();
        this.customers = new DynamoCustomerStore(dynamoDb, TABLE, meter);
        BlueprintApplier applier = new BlueprintApplier(new ConfigLoader(),
                new DynamoConfigStore(dynamoDb, TABLE, meter),
                new ChannelCodeProvisioner(new WxJavaWeComApi(wecomSettings),
                        new DynamoChannelStore(dynamoDb, TABLE, meter),
                        new DynamoStaffLoadStore(dynamoDb, TABLE, meter), new StaffRouter(), Clock.systemUTC()));
        this.applied = applier.apply(blueprint.yaml(), blueprint.sourceName());
    }

    /**
     * Starts the three servers and applies the blueprint; stops what was started when any step
     * fails, so a half-started stack never holds the ports.
     */
    public static EmbeddedStack start(StackPorts ports, WeComSettings wecom, Blueprint blueprint) {
        return start(ports, wecom, blueprint, Clock.systemUTC());
    }

    /** stubClock is the time the stub records calls at: the simulation's virtual clock in the demo. */
    public static EmbeddedStack start(StackPorts ports, WeComSettings wecom, Blueprint blueprint, Clock stubClock) {
        EmbeddedDynamoDb dynamo = null;
        EmbeddedSqs sqs = null;
        WeComStub stub = null;
        try {
            dynamo = EmbeddedDynamoDb.start(ports.dynamoDb());
            sqs = EmbeddedSqs.start(ports.sqs());
            stub = new WeComStub(wecom.corpId(), wecom.secret(), stubClock).start(ports.wecom())
                    .withDirectory(wecom.contactsSecret().orElse(null), localDirectory(blueprint));
            return new EmbeddedStack(dynamo, null, sqs, stub, null, wecom, blueprint);
        } catch (RuntimeException e) {
            Closeables.closeAll(stub, sqs, dynamo);
            throw e;
        }
    }

    /**
     * The directory the stub answers from: local-directory.yaml beside the blueprint, else config/'s (a blueprint
     * kept elsewhere is still checked against the example corp).
     */
    static java.nio.file.Path localDirectory(Blueprint blueprint) {
        java.nio.file.Path beside = blueprint.file().toAbsolutePath().getParent().resolve("local-directory.yaml");
        return java.nio.file.Files.isRegularFile(beside) ? beside : java.nio.file.Path.of("config/local-directory.yaml");
    }

    /** DynamoDB Local's flag: no usage telemetry (its server is started with -disableTelemetry too). */
    private static final Boolean DISABLE_TELEMETRY = Boolean.TRUE;

    /**
     * The same stack with DynamoDB Local in-process (its embedded client, no HTTP server): the same
     * DynamoDB Local behind the same SDK interface, without an HTTP round trip per request, which costs
     * about ten times what DynamoDB Local itself does. For the demo, where nothing outside this JVM reads
     * the table; the table has no TTL (see the constructor). The Mini Program stub starts beside the WeCom stub, on
     * the same clock, checking the Mini Program's app id and secret from env.
     */
    public static EmbeddedStack startInProcess(StackPorts ports, LocalEnv env, Blueprint blueprint, Clock stubClock) {
        WeComSettings wecom = env.wecom();
        EmbeddedSqs sqs = null;
        WeComStub stub = null;
        MiniProgramStub miniProgram = null;
        try {
            org.apache.logging.log4j.core.config.Configurator.setLevel("software.amazon.dynamodb",
                    org.apache.logging.log4j.Level.WARN);
            DynamoDbClient inProcess = software.amazon.dynamodb.services.local.embedded.DynamoDBEmbedded.create(DISABLE_TELEMETRY)
                    .dynamoDbClient();
            sqs = EmbeddedSqs.start(ports.sqs());
            stub = new WeComStub(wecom.corpId(), wecom.secret(), stubClock).start(ports.wecom())
                    .withDirectory(wecom.contactsSecret().orElse(null), localDirectory(blueprint));
            miniProgram = new MiniProgramStub(env.miniAppId(), env.get("SIYU_MINIAPP_SECRET"), stubClock).start(0);
            return new EmbeddedStack(null, inProcess, sqs, stub, miniProgram, wecom, blueprint);
        } catch (RuntimeException e) {
            Closeables.closeAll(miniProgram, stub, sqs);
            throw e;
        }
    }

    /** Where DynamoDB Local answers, for the banner. */
    public String dynamoDbLocation() {
        return dynamo == null ? "in-process" : dynamo.endpoint().toString();
    }

    /** The production ports on this stack: the table on DynamoDB Local, the queue on ElasticMQ, WeCom via the stub. */
    public Ports ports(CapacityMeter meter) {
        return DynamoPorts.create(dynamoDb, aws.sqs(), storeSettings, new WxJavaWeComApi(wecomSettings), meter);
    }

    /**
     * The engine the functions build, on this stack with the applied blueprint; it scores customers as the
     * scheduler does (BG/NBD churn, no booster), the fitted model kept for the stack's lifetime.
     */
    public Engine engine(CapacityMeter meter, ConditionCompiler conditions, Clock clock, Engine.Settings settings) {
        Ports ports = ports(meter);
        // The scheduler's points-expiry job works on the ledger and the members' details, as in AWS.
        dev.siyu.core.member.MemberStores members = new dev.siyu.core.member.MemberStores(
                new dev.siyu.store.DynamoPointsLedger(dynamoDb, storeSettings.tableName(), meter, ports.customers()),
                new dev.siyu.store.DynamoMemberDetailsStore(dynamoDb, storeSettings.tableName(), meter));
        return new Engine(ports, applied.config(), applied.version(), conditions, clock, settings,
                new dev.siyu.analytics.profiles.ProfileScoring(null, models, line -> { }), members);
    }

    /** The same engine with the Mini Program's API (the local stub's), as the journey worker has it in AWS. */
    public Engine engine(CapacityMeter meter, ConditionCompiler conditions, Clock clock, Engine.Settings settings,
                         dev.siyu.core.miniapp.MiniProgram miniProgram) {
        return new Engine(ports(meter).withMiniProgram(miniProgram), applied.config(), applied.version(), conditions,
                clock, settings, new dev.siyu.analytics.profiles.ProfileScoring(null, models, line -> { }));
    }

    private final dev.siyu.analytics.profiles.ModelStore models = new dev.siyu.analytics.profiles.MemoryModelStore();

    public String tenant() {
        return applied.config().tenant();
    }

    @Override
    public void close() {
        Closeables.closeAll(miniProgram, stub, sqs, dynamo);
    }
}
