package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.Attachment;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.stack.wecom.InjectedFailure;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.StubContact;
import dev.siyu.stack.wecom.WeComStub;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** addMsgTemplate, notifyStaff and addMomentTask against the WeCom stub over HTTP, asserted on what it recorded. */
class WxJavaWeComApiMessagingTest {

    static final WeComSettings LOCAL = LocalEnv.settings();
    /** A 1x1 PNG. */
    static final byte[] PNG = java.util.Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    static WeComStub stub;
    WxJavaWeComApi api;
    final List<LogRecord> logged = Collections.synchronizedList(new ArrayList<>());
    final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            logged.add(r);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeAll
    static void startStub() {
        stub = new WeComStub(LOCAL.corpId(), LOCAL.secret()).start(0);
    }

    @AfterAll
    static void stopStub() {
        stub.close();
    }

    @BeforeEach
    void freshApiAndStub() {
        stub.reset();
        api = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()));
        Logger.getLogger(WxJavaWeComApi.class.getName()).addHandler(capture);
    }

    @AfterEach
    void closeApi() {
        Logger.getLogger(WxJavaWeComApi.class.getName()).removeHandler(capture);
        api.close();
    }

    @Nested
    class MessageTasks {

        @Test
        void aSingleChatTaskWithALinkCard() {
            String msgId = api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1", "wm2"), "Our autumn lookbook",
                    new Attachment("link", "Lookbook", "https://brand.example/look")));

            assertThat(msgId).isEqualTo("msgSTUB00000001");
            JsonNode body = only("externalcontact/add_msg_template").body();
            assertThat(body.path("chat_type").asText()).isEqualTo("single");
            assertThat(body.path("sender").asText()).isEqualTo("zhangsan");
            assertThat(body.path("external_userid").toString()).isEqualTo("[\"wm1\",\"wm2\"]");
            assertThat(body.has("chat_id_list")).isFalse();
            assertThat(body.path("text").path("content").asText()).isEqualTo("Our autumn lookbook");
            JsonNode attachment = body.path("attachments").get(0);
            assertThat(attachment.path("msgtype").asText()).isEqualTo("link");
            assertThat(attachment.path("link").path("title").asText()).isEqualTo("Lookbook");
            assertThat(attachment.path("link").path("url").asText()).isEqualTo("https://brand.example/look");
            assertThat(body.path("attachments")).hasSize(1);
        }

        @Test
        void aGroupTaskWithAnUploadedImage() {
            String id = api.uploadImage("sale.png", PNG).mediaId();
            api.addMsgTemplate(MsgTemplate.group("zhangsan", List.of("wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA"), null,
                    new Attachment("image", null, null, "media/sale.png", id)));

            JsonNode body = only("externalcontact/add_msg_template").body();
            assertThat(body.path("chat_type").asText()).isEqualTo("group");
            assertThat(body.path("chat_id_list").toString()).isEqualTo("[\"wrOgQhDgAAcwMTB7YmDkbeBsgT_AAAAA\"]");
            assertThat(body.has("external_userid")).isFalse();
            assertThat(body.has("text")).isFalse();
            assertThat(body.path("attachments").get(0).path("msgtype").asText()).isEqualTo("image");
            assertThat(body.path("attachments").get(0).path("image").path("media_id").asText()).isEqualTo(id);
            assertThat(only("externalcontact/add_msg_template").errcode()).isZero();
        }

        @Test
        void anImageByAUrlWeComDidNotGiveIsRefused() {
            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.group("zhangsan", List.of("wrOg"), null,
                    new Attachment("image", null, "https://cdn.brand.example/sale.png"))))
                    .isInstanceOfSatisfying(WeComApiException.class, e -> assertThat(e.errcode()).isEqualTo(40058));
        }

        @Test
        void aCardWithoutItsUploadedCoverFailsBeforeAnyCall() {
            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), null,
                    new Attachment("miniprogram", "Member centre", "pages/member/index"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("pic_media_id");
            assertThat(stub.calls("externalcontact/add_msg_template")).isEmpty();
        }

        @Test
        void theEnginesCardIsSentWithACoverUploadedThroughMediaUpload() {
            WeComApi engine = dev.siyu.core.media.MediaAttachingWeComApi.uploading(api, "acme",
                    new dev.siyu.memory.MemoryMediaCache(), java.time.Clock.systemUTC());
            engine.touching("j#1#0").addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "Your guide",
                    new Attachment("miniprogram", "Getting started", "pages/guide/index", "media/guide-card.png")));
            engine.touching("j#2#0").addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm2"), "Your guide",
                    new Attachment("miniprogram", "Getting started", "pages/guide/index", "media/guide-card.png")));

            List<RecordedCall> uploads = stub.calls("media/upload");
            assertThat(uploads).as("one upload, cached for the second card").hasSize(1);
            assertThat(uploads.get(0).touchId()).isNull();
            String id = uploads.get(0).body().path("media_id").asText();
            assertThat(stub.calls("externalcontact/add_msg_template")).allSatisfy(c -> {
                assertThat(c.errcode()).isZero();
                assertThat(c.body().path("attachments").get(0).path("miniprogram").path("pic_media_id").asText())
                        .isEqualTo(id);
            });
        }

        @Test
        void aMiniProgramCardOpensThePageOfTheConfiguredApp() {
            String cover = api.uploadImage("cover.png", PNG).mediaId();
            try (WxJavaWeComApi withApp = new WxJavaWeComApi(
                    LOCAL.withApiBaseUrl(stub.baseUrl()).withMiniProgramAppId("wx1234567890abcdef"))) {
                withApp.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "Your points",
                        new Attachment("miniprogram", "Member centre", "pages/member/index", null, cover)));
            }
            api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), null,
                    new Attachment("miniprogram", "Member centre", "pages/member/index", null, cover)));

            List<RecordedCall> calls = stub.calls("externalcontact/add_msg_template");
            JsonNode configured = calls.get(0).body().path("attachments").get(0);
            assertThat(configured.path("msgtype").asText()).isEqualTo("miniprogram");
            assertThat(configured.path("miniprogram").path("title").asText()).isEqualTo("Member centre");
            assertThat(configured.path("miniprogram").path("page").asText()).isEqualTo("pages/member/index");
            assertThat(configured.path("miniprogram").path("appid").asText()).isEqualTo("wx1234567890abcdef");
            assertThat(configured.path("miniprogram").path("pic_media_id").asText()).isEqualTo(cover);
            assertThat(calls.get(1).body().path("attachments").get(0).path("miniprogram").path("appid").asText())
                    .isEqualTo(WeComSettings.LOCAL_MINIAPP_APP_ID);
        }

        @Test
        void textOnlyHasNoAttachments() {
            api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "hello", null));

            assertThat(only("externalcontact/add_msg_template").body().has("attachments")).isFalse();
        }

        @Test
        void customersTheSenderCannotReachAreCountedInTheLog() {
            stub.registerContact(new StubContact("wmLI", "Li", null, null, 0, List.of("lisi")));

            String msgId = api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wmLI", "wm2"), "hi", null));

            assertThat(msgId).isNotBlank();
            assertThat(logged).anySatisfy(r -> assertThat(r.getMessage())
                    .contains("\"event\":\"wecom_msg_template_fail_list\"", "\"failed\":1", "\"requested\":2")
                    .doesNotContain("wmLI"));
        }

        @Test
        void tasksThatWouldReachTooManyOrNobodyAreRefusedBeforeAnyCall() {
            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of(), "to all?", null)))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("all of the sender's customers");
            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), " ", null)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.group(null, List.of(), "x", null)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "x",
                    new Attachment("video", "t", "https://x"))))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("video");
            assertThat(stub.calls()).isEmpty();
        }

        @Test
        void theMonthlyCapSurfacesAsItsErrcodeWithoutRetry() {
            stub.failNext("externalcontact/add_msg_template", InjectedFailure.errcode(WeComApiException.MONTHLY_SEND_CAP, 1));

            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "x", null)))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(41048);
            assertThat(stub.calls("externalcontact/add_msg_template")).hasSize(1);
        }

        @Test
        void systemBusyIsNotRetriedForWeComMayHaveCreatedTheTask() {
            stub.failNext("externalcontact/add_msg_template", InjectedFailure.errcode(-1, 1));

            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "x", null)))
                    .isInstanceOf(WeComApiException.class).hasMessageContaining("not retried");
            assertThat(stub.calls("externalcontact/add_msg_template")).extracting(RecordedCall::errcode)
                    .containsExactly(-1);
        }
    }

    @Nested
    class StaffNotifications {

        @Test
        void aTextToSeveralStaffAsTheLocalApp() {
            api.notifyStaff(List.of("zhangsan", "lisi", "zhangsan"), "3 customer tasks are waiting for you");

            JsonNode body = only("message/send").body();
            assertThat(body.path("touser").asText()).isEqualTo("zhangsan|lisi");
            assertThat(body.path("msgtype").asText()).isEqualTo("text");
            assertThat(body.path("agentid").asInt()).isEqualTo(WeComSettings.LOCAL_AGENT_ID).isEqualTo(1000002);
            assertThat(body.path("text").path("content").asText()).isEqualTo("3 customer tasks are waiting for you");
            assertThat(stub.snapshot().path("notifications")).hasSize(1);
        }

        @Test
        void theConfiguredAgentIdIsUsed() {
            try (WxJavaWeComApi app = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()).withAgentId(1000017))) {
                app.notifyStaff(List.of("zhangsan"), "hi");
            }

            assertThat(only("message/send").body().path("agentid").asInt()).isEqualTo(1000017);
        }

        @Test
        void moreThan1000RecipientsGoOutInSeveralCalls() {
            List<String> staff = new ArrayList<>();
            for (int i = 0; i < 1001; i++) {
                staff.add("staff" + i);
            }

            api.notifyStaff(staff, "all hands");

            List<RecordedCall> sends = stub.calls("message/send");
            assertThat(sends).hasSize(2);
            assertThat(sends.get(0).body().path("touser").asText().split("\\|")).hasSize(1000);
            assertThat(sends.get(1).body().path("touser").asText()).isEqualTo("staff1000");
        }

        @Test
        void withoutAnAgentIdAgainstWeComItselfNothingIsSent() {
            try (WxJavaWeComApi real = new WxJavaWeComApi(LOCAL)) {
                assertThatThrownBy(() -> real.notifyStaff(List.of("zhangsan"), "hi"))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("SIYU_WECOM_AGENT_ID");
            }
        }

        @Test
        void anInjectedErrcodeSurfaces() {
            stub.failNext("message/send", InjectedFailure.errcode(81013, 1));

            assertThatThrownBy(() -> api.notifyStaff(List.of("ghost"), "hi"))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(81013);
        }

        @Test
        void badRecipientsAreRefusedBeforeAnyCall() {
            assertThatThrownBy(() -> api.notifyStaff(List.of("a|b"), "x")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> api.notifyStaff(List.of(), "x")).isInstanceOf(IllegalArgumentException.class);
            assertThat(stub.calls()).isEmpty();
        }
    }

    @Nested
    class Moments {

        @Test
        void aPostBySendersForTaggedCustomers() {
            String vip = api.addCorpTag("tier", "vip");
            String active = api.addCorpTag("stage", "active");

            String jobId = api.addMomentTask("Autumn collection is here", List.of("zhangsan", "lisi"), List.of(vip, active));

            assertThat(jobId).isEqualTo("jobSTUB00000001");
            JsonNode body = only("externalcontact/add_moment_task").body();
            assertThat(body.path("text").path("content").asText()).isEqualTo("Autumn collection is here");
            JsonNode range = body.path("visible_range");
            assertThat(range.path("sender_list").path("user_list").toString()).isEqualTo("[\"zhangsan\",\"lisi\"]");
            assertThat(range.path("external_contact_list").path("tag_list").toString())
                    .isEqualTo("[\"" + vip + "\",\"" + active + "\"]");
        }

        @Test
        void noTagsMeansNoTagFilter() {
            api.addMomentTask("hello", List.of("zhangsan"), List.of());

            assertThat(only("externalcontact/add_moment_task").body().path("visible_range").has("external_contact_list"))
                    .isFalse();
        }

        @Test
        void anUnknownTagIs40068() {
            assertThatThrownBy(() -> api.addMomentTask("x", List.of("zhangsan"), List.of("etNOPE")))
                    .isInstanceOf(WeComApiException.class)
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(40068);
        }

        @Test
        void sendersAreRequired() {
            assertThatThrownBy(() -> api.addMomentTask("x", List.of(), List.of()))
                    .isInstanceOf(IllegalArgumentException.class);
        }

        @Test
        void http503IsNotRetriedForWeComMayHavePostedIt() {
            stub.failNext("externalcontact/add_moment_task", InjectedFailure.httpStatus(503, 1));

            assertThatThrownBy(() -> api.addMomentTask("x", List.of("zhangsan"), List.of()))
                    .isInstanceOf(WeComApiException.class).hasMessageContaining("not retried");
            assertThat(stub.calls("externalcontact/add_moment_task")).extracting(RecordedCall::httpStatus)
                    .containsExactly(503);
        }
    }

    private RecordedCall only(String apiName) {
        List<RecordedCall> calls = stub.calls(apiName);
        assertThat(calls).hasSize(1);
        return calls.get(0);
    }

    /**
     * add_msg_template takes no idempotency key: an attempt whose outcome is unknown is not made again (the
     * caller recorded its intent and reconciles through the list APIs below).
     */
    @Nested
    class SendsOfUnknownOutcome {

        private long templateCalls() {
            return stub.calls().stream().filter(c -> c.api().equals("externalcontact/add_msg_template")).count();
        }

        @Test
        void aTimedOutMessageTaskIsNotSentAgain() throws Exception {
            // GIVEN WeCom takes longer than the call budget to answer, and then creates the task
            stub.failNext("externalcontact/add_msg_template",
                    InjectedFailure.delay(LOCAL.retry().callBudget().plusMillis(500), 1));

            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "hi", null)))
                    .isInstanceOf(WeComApiException.class)
                    .hasMessageContaining("not retried")
                    .extracting(e -> ((WeComApiException) e).errcode()).isEqualTo(-1);

            // THEN WeCom got it once, and the task is there to be found
            Thread.sleep(1_000);
            assertThat(templateCalls()).isEqualTo(1);
            assertThat(stub.snapshot().path("msg_templates")).hasSize(1);
            java.time.Instant now = java.time.Instant.now();
            assertThat(api.groupMsgList("single", "zhangsan", now.minusSeconds(60), now.plusSeconds(60), 100))
                    .extracting(WeComApi.GroupMsg::text).containsExactly("hi");
        }

        @Test
        void aProxyErrorOnAMessageTaskIsNotRetried() {
            stub.failNext("externalcontact/add_msg_template", InjectedFailure.httpStatus(502, 1));

            assertThatThrownBy(() -> api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "hi", null)))
                    .isInstanceOf(WeComApiException.class).hasMessageContaining("HTTP 502");

            assertThat(templateCalls()).isEqualTo(1);
        }

        @Test
        void aRateLimitedMessageTaskIsRetriedBecauseWeComDidNothing() {
            stub.failNext("externalcontact/add_msg_template", InjectedFailure.errcode(45009, 1));

            assertThat(api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "hi", null))).isNotBlank();

            assertThat(templateCalls()).isEqualTo(2);
            assertThat(stub.snapshot().path("msg_templates")).hasSize(1);
        }

        @Test
        void whatWasSentIsFoundThroughTheListsWithItsRecipients() {
            String msgid = api.touching("new_customer_activation#r1#0")
                    .addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1", "wm2"), "welcome", null));
            api.addMomentTask("new season", List.of("zhangsan"), List.of());
            java.time.Instant now = java.time.Instant.now();

            assertThat(api.groupMsgList("single", "zhangsan", now.minusSeconds(60), now.plusSeconds(60), 100))
                    .singleElement().satisfies(m -> {
                        assertThat(m.msgid()).isEqualTo(msgid);
                        assertThat(m.creator()).isEqualTo("zhangsan");
                    });
            assertThat(api.groupMsgSendResult(msgid, "zhangsan")).extracting(WeComApi.GroupMsgRecipient::externalUserId)
                    .containsExactly("wm1", "wm2");
            assertThat(api.groupMsgSendResult(msgid, "lisi")).isEmpty();
            assertThat(api.momentList(now.minusSeconds(60), now.plusSeconds(60), 20)).extracting(WeComApi.Moment::text)
                    .containsExactly("new season");
        }
    
        @Test
        void theTaskListIsAskedForOneSendersTasksOnly() {
            // GIVEN two members each sent the same text to the same customer
            api.addMsgTemplate(MsgTemplate.single("lisi", List.of("wm1"), "welcome", null));
            String mine = api.addMsgTemplate(MsgTemplate.single("zhangsan", List.of("wm1"), "welcome", null));
            java.time.Instant now = java.time.Instant.now();

            // THEN the list filtered by creator (get_groupmsg_list_v2's creator) holds only zhangsan's
            assertThat(api.groupMsgList("single", "zhangsan", now.minusSeconds(60), now.plusSeconds(60), 100))
                    .extracting(WeComApi.GroupMsg::msgid).containsExactly(mine);
        }
    }
}
