package dev.siyu.packaging;

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
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.SiyuTable;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a siyu function talks to, embedded for a benchmark: DynamoDB Local, ElasticMQ and the WeCom
 * API stub, so the timed event runs the real code path (reads, writes, the welcome message)
 * instead of failing on missing credentials. Function processes reach them through the same
 * variables template.yaml sets in AWS.
 */
public final class LocalBackend implements AutoCloseable {

    private final EmbeddedDynamoDb dynamo;
    private final EmbeddedSqs sqs;
    private final WeComStub stub;
    private final AwsClients aws;
    private final String queueUrl;
    private final WeComSettings wecom;
    private final String blueprint;
    private final Map<String, String> baseEnv;

    private LocalBackend(EmbeddedDynamoDb dynamo, EmbeddedSqs sqs, WeComStub stub, Map<String, String> baseEnv,
                         String blueprint) {
        this.dynamo = dynamo;
        this.sqs = sqs;
        this.stub = stub;
        this.baseEnv = Map.copyOf(baseEnv);
        this.blueprint = blueprint;
        this.aws = new AwsClients(StoreSettings.local("siyu-bench", "", dynamo.endpoint(), sqs.endpoint()));
        this.queueUrl = SqsQueues.createIfMissing(aws.sqs(), "siyu-journeys");
        this.wecom = WeComSettings.of(need(baseEnv, "SIYU_WECOM_CORP_ID"), need(baseEnv, "SIYU_WECOM_SECRET"),
                need(baseEnv, "SIYU_WECOM_TOKEN"), need(baseEnv, "SIYU_WECOM_AES_KEY")).withApiBaseUrl(stub.baseUrl());
    }

    /**
     * Starts the three services. {@code env} must hold the SIYU_WECOM_* settings (config/local.env
     * has them); {@code blueprint} is the operator config applied to each table, or null.
     */
    public static LocalBackend start(Map<String, String> env, Path blueprint) {
        String yaml = null;
        try {
            if (blueprint != null && Files.isRegularFile(blueprint)) {
                yaml = Files.readString(blueprint);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + blueprint, e);
        }
        EmbeddedDynamoDb dynamo = EmbeddedDynamoDb.start(0);
        EmbeddedSqs sqs = null;
        WeComStub stub = null;
        try {
            sqs = EmbeddedSqs.start(0);
            stub = new WeComStub(need(env, "SIYU_WECOM_CORP_ID"), need(env, "SIYU_WECOM_SECRET")).start(0)
                    .withDirectory(env.get("SIYU_WECOM_CONTACTS_SECRET"), blueprint == null ? null
                            : blueprint.toAbsolutePath().getParent().resolve("local-directory.yaml"));
            return new LocalBackend(dynamo, sqs, stub, env, yaml);
        } catch (RuntimeException e) {
            if (stub != null) {
                stub.close();
            }
            if (sqs != null) {
                sqs.close();
            }
            dynamo.close();
            throw e;
        }
    }

    /**
     * A new table with the blueprint applied, and the variables pointing a function at it. Every
     * launch gets its own, so a replayed event is new to it rather than a deduplicated repeat.
     */
    public Map<String, String> freshEnv(String table) {
        SiyuTable.createIfMissing(aws.dynamoDb(), table);
        String tenant = baseEnv.getOrDefault("SIYU_TENANT", "demo-brand");
        if (blueprint != null) {
            CapacityMeter meter = new CapacityMeter();
            BlueprintApplier applier = new BlueprintApplier(new ConfigLoader(),
                    new DynamoConfigStore(aws.dynamoDb(), table, meter),
                    new ChannelCodeProvisioner(new WxJavaWeComApi(wecom),
                            new DynamoChannelStore(aws.dynamoDb(), table, meter),
                            new DynamoStaffLoadStore(aws.dynamoDb(), table, meter), new StaffRouter(), Clock.systemUTC()));
            tenant = applier.apply(blueprint, "scrm.example.yaml").config().tenant();
        }
        Map<String, String> env = new LinkedHashMap<>(baseEnv);
        env.put("SIYU_TABLE", table);
        env.put("SIYU_TENANT", tenant);
        env.put("SIYU_DYNAMODB_ENDPOINT", dynamo.endpoint().toString());
        env.put("SIYU_SQS_ENDPOINT", sqs.endpoint().toString());
        env.put("SIYU_JOURNEY_QUEUE_URL", queueUrl);
        env.put("SIYU_WECOM_API_BASE_URL", stub.baseUrl());
        return env;
    }

    @Override
    public void close() {
        stub.close();
        sqs.close();
        dynamo.close();
    }

    private static String need(Map<String, String> env, String name) {
        String v = env.get(name);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException(name + " is not set; pass --env-file config/local.env");
        }
        return v;
    }
}
