package dev.siyu.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.embedded.StackWorld;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.store.CapacityMeter;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Customer groups and staff tags as WeCom reports them: signed, encrypted change_external_chat and
 * change_external_contact callbacks through the callback endpoint, the engine asking the WeCom stub
 * (groupchat/get, externalcontact/get) through WxJava, the records on DynamoDB Local.
 */
class GroupCallbacksTest {
    static final Path ROOT = Path.of("../../..").toAbsolutePath().normalize();
    static final String PERKS = "Welcome Perks Group";
    static final String VIP = "VIP Member Group";
    static EmbeddedStack stack;
    static Engine engine;
    static Consumer<WeComEvent> wecom;
    static long second = Instant.parse("2026-03-02T02:00:00Z").getEpochSecond();

    @BeforeAll
    static void start() {
        stack = EmbeddedStack.start(StackPorts.EPHEMERAL, LocalEnv.load(ROOT, Map.of()).wecom(),
                Blueprint.read(ROOT.resolve(Blueprint.DEFAULT)), Clock.systemUTC());
        engine = stack.engine(new CapacityMeter(), null, Clock.systemUTC(), Engine.Settings.inline());
        wecom = StackWorld.delivery(engine, stack.wecomSettings);
    }

    @AfterAll
    static void stop() {
        stack.close();
    }

    /** Each callback one second after the last: WeCom's CreateTime is in seconds and part of the dedup key. */
    static Instant next() {
        return Instant.ofEpochSecond(++second);
    }

    static String customer(String external) {
        wecom.accept(new WeComEvent.ContactAdded("zhangsan", external, null, null, false, next()));
        return "wx-" + external;
    }

    static List<TimelineEvent> timeline(String customerId, String kind) {
        return stack.customers.timeline(stack.tenant(), customerId).stream().filter(e -> e.kind().equals(kind)).toList();
    }

    static CustomerProfile profile(String customerId) {
        return stack.customers.profile(stack.tenant(), customerId).orElseThrow();
    }

    static GroupStore.Group group(String chatId) {
        return engine.ports().groups().group(stack.tenant(), chatId).orElseThrow();
    }

    static void created(String chatId, String name) {
        stack.stub.groups().create(chatId, name, "zhangsan");
        wecom.accept(new WeComEvent.ChatCreated(chatId, next()));
    }

    static void joins(String chatId, String... externals) {
        for (String e : externals) {
            stack.stub.groups().join(chatId, e, 3);
        }
        wecom.accept(new WeComEvent.ChatUpdated(chatId, "add_member", 3, 0, externals.length, List.of(externals), next()));
    }

    static void leaves(String chatId, String external) {
        stack.stub.groups().leave(chatId, external);
        wecom.accept(new WeComEvent.ChatUpdated(chatId, "del_member", 0, 0, 1, List.of(external), next()));
    }

    @Test
    void joinsAndLeavesWeComReportsLandOnTheCustomersTimelineAndProfile() {
        String ann = customer("wmGroupAnn");
        String bo = customer("wmGroupBo");
        created("wrJoinLeave1", "Welcome Perks Group 1");

        joins("wrJoinLeave1", "wmGroupAnn", "wmGroupBo");
        leaves("wrJoinLeave1", "wmGroupAnn");

        assertThat(timeline(ann, "joined_group")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("chat_id", "wrJoinLeave1")
                        .containsEntry("group_type", PERKS).containsEntry("join_scene", "3"));
        assertThat(timeline(ann, "left_group")).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("chat_id", "wrJoinLeave1"));
        assertThat(profile(ann).activity().leftGroups()).containsExactly("wrJoinLeave1");
        assertThat(profile(ann).activity().groups()).doesNotContainKey("wrJoinLeave1");
        assertThat(profile(bo).activity().groups()).containsEntry("wrJoinLeave1", PERKS);
        assertThat(group("wrJoinLeave1").memberCount()).isEqualTo(1);
        assertThat(engine.ports().groups().members(stack.tenant(), "wrJoinLeave1"))
                .extracting(GroupStore.Member::customerId).containsExactly(bo);
    }

    @Test
    void aRetriedCallbackOrALaterOneDiffingAgainWritesNoSecondEvent() {
        String cy = customer("wmGroupCy");
        created("wrRetry1", "Welcome Perks Group 2");
        stack.stub.groups().join("wrRetry1", "wmGroupCy", 3);
        WeComEvent.ChatUpdated joined = new WeComEvent.ChatUpdated("wrRetry1", "add_member", 3, 0, 1,
                List.of("wmGroupCy"), next());

        wecom.accept(joined);
        wecom.accept(joined);
        // Another change of the group: its sync diffs the members again.
        wecom.accept(new WeComEvent.ChatUpdated("wrRetry1", "change_name", 0, 0, 0, List.of(), next()));

        assertThat(timeline(cy, "joined_group")).hasSize(1);
        assertThat(group("wrRetry1").memberCount()).isEqualTo(1);
    }

    @Test
    void aTypedGroupGetsOneJoinWayForInvitesAndItsTypeOneWelcomeTemplate() {
        int before = stack.stub.groups().welcomeTemplates();
        created("wrVipA", "VIP lounge A");
        created("wrVipB", "VIP lounge B");
        wecom.accept(new WeComEvent.ChatUpdated("wrVipA", "change_notice", 0, 0, 0, List.of(), next()));

        GroupStore.Group a = group("wrVipA");
        assertThat(a.groupType()).isEqualTo(VIP);
        assertThat(a.inviteLink()).isNotBlank().isEqualTo(a.joinQr());
        assertThat(stack.stub.groups().chatOfQr(a.joinQr())).isEqualTo("wrVipA");
        assertThat(calls("externalcontact/groupchat/add_join_way").stream()
                .filter(c -> c.body().path("chat_id_list").toString().contains("wrVipA"))).hasSize(1);
        assertThat(stack.stub.groups().welcomeTemplates() - before).isEqualTo(1);
        assertThat(group("wrVipB").welcomeTemplateId()).isEqualTo(a.welcomeTemplateId());
    }

    @Test
    void aGroupNoRuleTakesIsTypedByTheOperatorAndThenGetsItsJoinWay() throws Exception {
        created("wrOperator1", "Tea lovers");
        assertThat(group("wrOperator1").groupType()).isNull();
        assertThat(group("wrOperator1").joinQr()).isNull();

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = GroupsCommand.run(List.of("assign", "wrOperator1", PERKS, "--dynamodb", stack.storeSettings
                        .dynamoDbEndpoint().orElseThrow().toString(), "--table", stack.storeSettings.tableName(),
                        "--wecom-api-base-url", stack.stub.baseUrl()),
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err, ROOT, Map.of());

        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrOperator1").contains("is a " + PERKS);
        assertThat(group("wrOperator1").groupType()).isEqualTo(PERKS);
        assertThat(group("wrOperator1").joinQr()).isNotNull();
        // A later callback keeps the operator's type.
        wecom.accept(new WeComEvent.ChatUpdated("wrOperator1", "change_name", 0, 0, 0, List.of(), next()));
        assertThat(group("wrOperator1").groupType()).isEqualTo(PERKS);
    }

    @Test
    void aTagStaffSetInWeComLandsOnTheProfileAsTagAddedByStaff() {
        String dee = customer("wmTagDee");
        try (WxJavaWeComApi api = new WxJavaWeComApi(stack.wecomSettings)) {
            // What the staff member's WeCom client does when they tag the customer.
            String tagId = api.addCorpTag("Staff notes", "prefers_evening_calls");
            api.markTag("zhangsan", "wmTagDee", List.of(tagId), List.of());
        }

        wecom.accept(new WeComEvent.ContactEdited("zhangsan", "wmTagDee", next()));

        assertThat(profile(dee).tags()).contains("prefers_evening_calls");
        assertThat(timeline(dee, "tag_added")).singleElement().satisfies(e -> {
            assertThat(e.details()).containsEntry("tag", "prefers_evening_calls").containsEntry("source", "staff");
            assertThat(e.staffUserId()).isEqualTo("zhangsan");
        });
    }

    @Test
    void aChannelCodesAutoTagsEachGetTagAddedFromTheChannel() {
        String state = stack.applied.channels().get(0).state();
        wecom.accept(new WeComEvent.ContactAdded("zhangsan", "wmTagEve", state, "WELCOME-wmTagEve", false, next()));

        CustomerProfile eve = profile("wx-wmTagEve");
        assertThat(eve.tags()).isNotEmpty();
        assertThat(timeline("wx-wmTagEve", "tag_added")).extracting(e -> e.details().get("tag"))
                .containsExactlyInAnyOrderElementsOf(eve.tags());
        assertThat(timeline("wx-wmTagEve", "tag_added")).allSatisfy(e ->
                assertThat(e.details()).containsEntry("source", "channel"));
    }

    @Test
    void offboardingHandsADepartedMembersGroupsToTheSuccessorOfTheirCustomers() {
        wecom.accept(new WeComEvent.ContactAdded("wujiu", "wmOffFay", null, null, false, next()));
        stack.stub.groups().create("wrOffboard1", "Perks Hangzhou", "wujiu");
        wecom.accept(new WeComEvent.ChatCreated("wrOffboard1", next()));
        // wujiu left the company: WeCom lists their customers as waiting for a successor.
        stack.stub.registerUnassigned("wujiu", "wmOffFay");

        engine.jobs().run("offboarding");

        // zhengshi: wujiu's only colleague in store_staff_hangzhou, who also takes the customer.
        assertThat(stack.stub.groups().owner("wrOffboard1")).isEqualTo("zhengshi");
        assertThat(group("wrOffboard1").owner()).isEqualTo("zhengshi");
        assertThat(calls("externalcontact/groupchat/transfer")).singleElement().satisfies(c ->
                assertThat(c.body().path("new_owner").asText()).isEqualTo("zhengshi"));
    }

    static List<RecordedCall> calls(String api) {
        return stack.stub.calls(api);
    }
}
