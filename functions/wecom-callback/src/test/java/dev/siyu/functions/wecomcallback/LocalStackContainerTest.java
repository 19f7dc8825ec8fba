package dev.siyu.functions.wecomcallback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.profile.CustomerLookup;
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
import dev.siyu.wecom.CallbackEncryptor;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The new-contact flow against LocalStack's DynamoDB and SQS (real AWS APIs, not DynamoDB Local).
 * Runs where a Docker engine exists; without one JUnit reports it skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackContainerTest {
    @Container
    static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:4.4"))
            .withServices(LocalStackContainer.Service.DYNAMODB, LocalStackContainer.Service.SQS);

    @Test
    void aNewContactIsGreetedAndRecordedOnLocalStack() throws Exception {
        try (WeComStub stub = new WeComStub("wwsiyu0000demo0001", "siyu-local-contact-secret").start(0)) {
            StoreSettings settings = new StoreSettings("siyu", "", LOCALSTACK.getRegion(),
                    Optional.of(LOCALSTACK.getEndpoint()), Optional.of(LOCALSTACK.getEndpoint()));
            AwsClients bootstrap = new AwsClients(settings);
            SiyuTable.createIfMissing(bootstrap.dynamoDb(), "siyu");
            settings = settings.withQueueUrl(SqsQueues.createIfMissing(bootstrap.sqs(), "siyu-journeys"));
            AwsClients aws = new AwsClients(settings);
            WeComSettings wecom = WeComSettings.of("wwsiyu0000demo0001", "siyu-local-contact-secret", "siyuLocalToken",
                    "903vJPcJOTT8dbgGEHT7ejKvECAtbfOr5QEo0snJCTY").withApiBaseUrl(stub.baseUrl());
            CapacityMeter meter = new CapacityMeter();
            var applied = new BlueprintApplier(new ConfigLoader(), new DynamoConfigStore(aws.dynamoDb(), "siyu", meter),
                    new ChannelCodeProvisioner(new WxJavaWeComApi(wecom), new DynamoChannelStore(aws.dynamoDb(), "siyu", meter),
                            new DynamoStaffLoadStore(aws.dynamoDb(), "siyu", meter), new StaffRouter(), Clock.systemUTC()))
                    .apply(Files.readString(LocalStack.ROOT.resolve("config/scrm.example.yaml")), "scrm.example.yaml");
            Engine engine = new Engine(DynamoPorts.create(aws, settings, new WxJavaWeComApi(wecom), meter), applied.config(),
                    applied.version(), null, Clock.systemUTC(), Engine.Settings.inline());
            CallbackEndpoint endpoint = new CallbackEndpoint(new CallbackVerifier(wecom), engine.callbacks());

            EncryptedCallback c = new CallbackEncryptor(wecom).encrypt(CallbackXml.contactAdded(wecom.corpId(), "wangwu",
                    "wmLOCALSTACK1", "livestream_qr", "W-ls", Instant.now()), "1700000000", "1");
            CallbackEndpoint.Reply reply = endpoint.handle(new CallbackEndpoint.Request("POST", c.query(), c.body(), false));

            assertThat(reply.status()).isEqualTo(200);
            assertThat(stub.calls("externalcontact/send_welcome_msg")).hasSize(1);
            DynamoCustomerStore customers = new DynamoCustomerStore(aws.dynamoDb(), "siyu", meter);
            assertThat(new CustomerLookup(customers).byExternalUserId(applied.config().tenant(), "wmLOCALSTACK1").orElseThrow().tags())
                    .containsExactlyInAnyOrder("livestream_referral", "high_intent");
        }
    }
}
