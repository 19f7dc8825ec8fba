package dev.siyu.functions.wecomcallback;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.profile.CustomerLookup;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.store.JourneyTriggerJson;
import dev.siyu.testkit.InjectStack;
import dev.siyu.wecom.CallbackXml;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A customer scans each of the example channel codes: greeted, tagged and recorded, exactly once. */
@QuarkusTest
@QuarkusTestResource(value = LocalStackResource.class, restrictToAnnotatedClass = true)
class NewContactTest {
    @InjectStack
    LocalStack stack;
    Callbacks callbacks;

    @BeforeEach
    void freshStub() {
        callbacks = new Callbacks(stack.wecomSettings);
        stack.stub.clearFailures();
        stack.stub.clearCalls();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "parcel_card_east|zhangsan|Package Insert - East China Warehouse|Hi~ I'm your dedicated advisor Zhang San. Thanks for your purchase! Reply 1 for a VIP community invite, reply 2 for a product guide|east_china,new_customer,package_insert",
        "livestream_qr|wangwu|Livestream QR Code|Hey, thanks for joining from the livestream! Send 'livestream perk' to claim your exclusive coupon~|high_intent,livestream_referral",
        "in_store.hz01|wujiu|In-Store QR Code|Welcome to West Lake Store! I'm your dedicated shopping advisor - reach out anytime you need anything|West Lake Store,hangzhou,in_store_customer"
    })
    void aCustomerFromEachChannelIsGreetedTaggedAndRecorded(String state, String staff,
                                                                          String channel, String welcome, String tags) {
        // GIVEN a customer who scanned the channel code and added its staff member
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        String welcomeCode = "WELCOME-" + customer;

        // WHEN WeCom delivers the signed, encrypted add_external_contact callback
        JsonNode reply = Callbacks.invoke(callbacks.post(
                CallbackXml.contactAdded(stack.wecomSettings.corpId(), staff, customer, state, welcomeCode, Instant.now())));

        // THEN it is acknowledged, the welcome message is sent with the code, tags are marked
        assertThat(reply.path("statusCode").asInt()).isEqualTo(200);
        assertThat(reply.path("body").asText()).isEqualTo("success");
        List<RecordedCall> sent = stack.stub.calls("externalcontact/send_welcome_msg");
        assertThat(sent).hasSize(1);
        assertThat(sent.get(0).body().path("welcome_code").asText()).isEqualTo(welcomeCode);
        assertThat(sent.get(0).body().path("text").path("content").asText()).isEqualTo(welcome);
        List<RecordedCall> marked = stack.stub.calls("externalcontact/mark_tag");
        assertThat(marked).hasSize(1);
        assertThat(marked.get(0).body().path("external_userid").asText()).isEqualTo(customer);
        assertThat(marked.get(0).body().path("userid").asText()).isEqualTo(staff);
        assertThat(marked.get(0).body().path("add_tag")).hasSize(tags.split(",").length);

        // AND the profile holds the customer, channel, tags and the staff relationship
        CustomerProfile profile = profileOf(customer);
        assertThat(profile.channelName()).isEqualTo(channel);
        assertThat(profile.channel()).isEqualTo(state);
        assertThat(profile.tags()).containsExactlyInAnyOrderElementsOf(List.of(tags.split(",")));
        assertThat(profile.name()).isNotBlank();
        assertThat(profile.relationships().get(staff).status()).isEqualTo(StaffRelationship.Status.ACTIVE);
        List<TimelineEvent> timeline = stack.customers.timeline("demo-brand", profile.customerId());
        assertThat(timeline).filteredOn(e -> !e.kind().equals("tag_added")).extracting(TimelineEvent::kind)
                .containsExactly("contact_added");
        assertThat(timeline.stream().filter(e -> e.kind().equals("contact_added")).findFirst().orElseThrow().details())
                .containsEntry("welcome", "sent").containsEntry("channel", channel);
        // Each of the channel's tags is a tag_added of source channel.
        assertThat(timeline).filteredOn(e -> e.kind().equals("tag_added")).extracting(e -> e.details().get("tag"))
                .containsExactlyInAnyOrderElementsOf(List.of(tags.split(",")));
    }

    @Test
    void retriesAndConcurrentDuplicatesHaveExactlyOneEffect() throws Exception {
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        String xml = CallbackXml.contactAdded(stack.wecomSettings.corpId(), "sunqi", customer, "livestream_qr",
                "WELCOME-" + customer, Instant.now());
        JsonNode event = callbacks.post(xml);

        for (int i = 0; i < 3; i++) {
            assertThat(Callbacks.invoke(event).path("body").asText()).isEqualTo("success");
        }
        ExecutorService pool = Executors.newFixedThreadPool(10);
        try {
            List<Future<JsonNode>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 10; i++) {
                // WeCom re-signs nothing on retry, but a fresh nonce must not defeat dedup either.
                JsonNode copy = i % 2 == 0 ? event : callbacks.post(xml);
                replies.add(pool.submit(() -> Callbacks.invoke(copy)));
            }
            for (Future<JsonNode> r : replies) {
                assertThat(r.get(30, TimeUnit.SECONDS).path("statusCode").asInt()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(stack.stub.calls("externalcontact/send_welcome_msg")).hasSize(1);
        CustomerProfile profile = profileOf(customer);
        assertThat(stack.customers.timeline("demo-brand", profile.customerId()))
                .filteredOn(e -> !e.kind().equals("tag_added")).extracting(TimelineEvent::kind)
                .containsExactly("contact_added");
    }

    @Test
    void aCustomerWhoDeletesTheStaffMemberIsSuppressedThroughThatRelationship() {
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        String corp = stack.wecomSettings.corpId();
        Instant added = Instant.now().minusSeconds(60);
        Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(corp, "lisi", customer, "parcel_card_east", "W-" + customer, added)));

        JsonNode reply = Callbacks.invoke(callbacks.post(CallbackXml.followUserDeleted(corp, "lisi", customer, Instant.now())));

        assertThat(reply.path("statusCode").asInt()).isEqualTo(200);
        CustomerProfile profile = profileOf(customer);
        StaffRelationship r = profile.relationships().get("lisi");
        assertThat(r.status()).isEqualTo(StaffRelationship.Status.ENDED);
        assertThat(r.endedBy()).isEqualTo(StaffRelationship.EndedBy.CUSTOMER);
        assertThat(profile.suppressedThrough("lisi")).isTrue();
        assertThat(stack.customers.timeline("demo-brand", profile.customerId()))
                .filteredOn(e -> !e.kind().equals("tag_added")).extracting(TimelineEvent::kind)
                .containsExactly("contact_added", "relationship_ended");
    }

    @Test
    void aStaffMemberWhoDeletesTheCustomerEndsTheRelationshipToo() {
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        String corp = stack.wecomSettings.corpId();
        Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(corp, "zhaoliu", customer, "livestream_qr", "W-" + customer,
                Instant.now().minusSeconds(30))));

        Callbacks.invoke(callbacks.post(CallbackXml.contactDeleted(corp, "zhaoliu", customer, "DELETE_BY_TRANSFER", Instant.now())));

        CustomerProfile profile = profileOf(customer);
        assertThat(profile.relationships().get("zhaoliu").endedBy()).isEqualTo(StaffRelationship.EndedBy.STAFF);
        assertThat(profile.suppressedThrough("zhaoliu")).isTrue();
        assertThat(profile.tags()).contains("livestream_referral");
    }

    @Test
    void aCustomerWithAUnionIdIsLinkedByIt() {
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        String unionId = "o" + UUID.randomUUID().toString().replace("-", "");
        stack.stub.registerContact(new dev.siyu.stack.wecom.StubContact(customer, "Lin Xiaomei", "https://example.invalid/a.png", unionId));

        Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(stack.wecomSettings.corpId(), "zhouba", customer,
                "in_store.sh01", "W-" + customer, Instant.now())));

        CustomerProfile profile = profileOf(customer);
        assertThat(profile.name()).isEqualTo("Lin Xiaomei");
        assertThat(profile.identities()).containsEntry("unionid", unionId);
        assertThat(stack.customers.customerIdFor("demo-brand", IdentityType.UNIONID, unionId)).contains(profile.customerId());
        assertThat(profile.tags()).isEqualTo(Set.of("Jing'an Flagship", "in_store_customer", "shanghai"));
    }

    @Test
    void aMiniProgramMemberWhoAddsAStaffMemberStaysOneCustomer() {
        // GIVEN a Mini Program member (openid + unionid) the suite already knows
        String unionId = "o" + UUID.randomUUID().toString().replace("-", "");
        String memberId = "c-mp-" + unionId;
        Instant joined = Instant.now().minusSeconds(86_400);
        stack.customers.claimIdentity("demo-brand", IdentityType.UNIONID, unionId, memberId);
        stack.customers.save(new CustomerProfile("demo-brand", memberId, "Lin (Mini Program)", null, null, null, null, null,
                Set.of("skincare"), java.util.Map.of(), java.util.Map.of("unionid", unionId, "openid", "oMP" + unionId),
                joined, joined), List.of());
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        stack.stub.registerContact(new dev.siyu.stack.wecom.StubContact(customer, "Lin Xiaomei", "https://example.invalid/a.png", unionId));

        // WHEN they scan the livestream code and add a staff member
        Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(stack.wecomSettings.corpId(), "wangwu", customer,
                "livestream_qr", "W-" + customer, Instant.now())));

        // THEN the WeCom contact joins that customer: one profile, both identities, old and new tags
        CustomerProfile profile = profileOf(customer);
        assertThat(profile.customerId()).isEqualTo(memberId);
        assertThat(profile.identities()).containsEntry("openid", "oMP" + unionId).containsEntry("external_userid", customer);
        assertThat(profile.tags()).contains("skincare", "livestream_referral", "high_intent");
        assertThat(profile.relationships()).containsKey("wangwu");
        assertThat(stack.customers.profile("demo-brand", CustomerLookup.wecomCustomerId(customer))).isEmpty();
    }

    @Test
    void theJourneyWorkerIsHandedTheNewContactThroughSqs() {
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        Callbacks.invoke(callbacks.post(CallbackXml.contactAdded(stack.wecomSettings.corpId(), "lisi", customer,
                "parcel_card_east", "W-" + customer, Instant.now())));
        String customerId = profileOf(customer).customerId();

        JourneyTriggerJson json = new JourneyTriggerJson(new ObjectMapper());
        List<JourneyQueue.JourneyTrigger> triggers = new java.util.ArrayList<>();
        for (int i = 0; i < 20 && triggers.isEmpty(); i++) {
            stack.aws.sqs().receiveMessage(b -> b.queueUrl(stack.storeSettings.queueUrl()).maxNumberOfMessages(10)
                    .waitTimeSeconds(1)).messages().stream().map(m -> json.read(m.body()))
                    .filter(t -> customerId.equals(t.customerId())).forEach(triggers::add);
        }
        assertThat(triggers).hasSize(1);
        assertThat(triggers.get(0).kind()).isEqualTo("contact_added");
        assertThat(triggers.get(0).details()).containsEntry("staff", "lisi").containsEntry("state", "parcel_card_east");
    }

    private CustomerProfile profileOf(String externalUserId) {
        return new CustomerLookup(stack.customers).byExternalUserId("demo-brand", externalUserId).orElseThrow();
    }

    @Test
    void aRetryWhileAnotherAttemptHoldsTheCallbackIsNotAnsweredSuccess() {
        // GIVEN an attempt that claimed this add a moment ago and is still working on it (or died)
        String customer = "wm" + UUID.randomUUID().toString().replace("-", "");
        Instant at = Instant.now();
        dev.siyu.core.event.WeComEvent.ContactAdded event = new dev.siyu.core.event.WeComEvent.ContactAdded(
                "zhangsan", customer, "parcel_card_east", "WELCOME-" + customer, false,
                Instant.ofEpochSecond(at.getEpochSecond()));
        stack.customers.claimLease(stack.applied.config().tenant(), event.dedupKey(), "an-earlier-attempt", at,
                at.plusSeconds(15));

        // WHEN WeCom retries it
        JsonNode reply = Callbacks.invoke(callbacks.post(CallbackXml.of(stack.wecomSettings.corpId(), event)));

        // THEN the retry is told to come back (not "success", which would end WeCom's retries), and did nothing
        assertThat(reply.path("statusCode").asInt()).isEqualTo(503);
        assertThat(stack.stub.calls("externalcontact/send_welcome_msg")).isEmpty();
    }
}
