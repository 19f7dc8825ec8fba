package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.memory.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** add_msg_template, message/send and add_moment_task over HTTP. */
class WeComStubMessagingTest {

    static final String CORP = "wwsiyu0000demo0001";
    static final String SECRET = "siyu-local-contact-secret";

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-06-01T00:00:00Z"));
    WeComStub stub;
    StubHttp http;

    @BeforeEach
    void start() {
        stub = new WeComStub(CORP, SECRET, clock).start(0);
        http = new StubHttp(stub, CORP, SECRET);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    @Nested
    class MessageTemplates {

        @Test
        void aSingleChatTaskAnswersAMsgidAndIsKept() throws Exception {
            JsonNode r = http.call("externalcontact/add_msg_template", """
                    {"chat_type":"single","sender":"zhangsan","external_userid":["wm1","wm2"],
                     "text":{"content":"New arrivals this week"},
                     "attachments":[{"msgtype":"link","link":{"title":"Lookbook","url":"https://brand.example/look"}}]}""");

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("msgid").asText()).isEqualTo("msgSTUB00000001");
            assertThat(r.path("fail_list")).isEmpty();
            JsonNode kept = stub.snapshot().path("msg_templates").get(0);
            assertThat(kept.path("at").asText()).isEqualTo("2025-06-01T00:00:00Z");
            assertThat(kept.path("sender").asText()).isEqualTo("zhangsan");
            assertThat(kept.path("external_userid").toString()).isEqualTo("[\"wm1\",\"wm2\"]");
            assertThat(kept.path("attachments").get(0).path("link").path("url").asText()).isEqualTo("https://brand.example/look");
        }

        @Test
        void customersTheSenderDoesNotServeAreInTheFailList() throws Exception {
            stub.registerContact(new StubContact("wmLI", "Li", null, null, 0, List.of("lisi")));

            JsonNode r = http.call("externalcontact/add_msg_template",
                    "{\"sender\":\"zhangsan\",\"external_userid\":[\"wmLI\",\"wmUNKNOWN\"],\"text\":{\"content\":\"hi\"}}");

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("fail_list").toString()).isEqualTo("[\"wmLI\"]");
        }

        @Test
        void groupTasksNeedTheirOwner() throws Exception {
            assertThat(http.call("externalcontact/add_msg_template",
                    "{\"chat_type\":\"group\",\"chat_id_list\":[\"wrOgQhDgAA\"],\"text\":{\"content\":\"hi\"}}")
                    .path("errcode").asInt()).isEqualTo(40058);
            JsonNode ok = http.call("externalcontact/add_msg_template",
                    "{\"chat_type\":\"group\",\"sender\":\"zhangsan\",\"chat_id_list\":[\"wrOgQhDgAA\"],\"text\":{\"content\":\"hi\"}}");
            assertThat(ok.path("errcode").asInt()).isZero();
            assertThat(stub.snapshot().path("msg_templates").get(0).path("chat_id_list").toString())
                    .isEqualTo("[\"wrOgQhDgAA\"]");
        }

        @Test
        void invalidTasksAreRefusedLikeWeCom() throws Exception {
            assertThat(code("{\"chat_type\":\"broadcast\",\"sender\":\"a\",\"text\":{\"content\":\"x\"}}")).isEqualTo(40058);
            assertThat(code("{\"text\":{\"content\":\"to nobody\"}}")).isEqualTo(40058);
            assertThat(code("{\"sender\":\"a\",\"external_userid\":[\"wm1\"]}")).isEqualTo(40058);
            assertThat(code("{\"sender\":\"a\",\"text\":{\"content\":\"x\"},"
                    + "\"attachments\":[{\"msgtype\":\"poll\",\"poll\":{}}]}")).isEqualTo(40008);
            assertThat(code("{\"sender\":\"a\",\"text\":{\"content\":\"x\"},"
                    + "\"attachments\":[{\"msgtype\":\"link\",\"link\":{\"title\":\"no url\"}}]}")).isEqualTo(40058);
            // WeCom takes an image's pic_url only from media/uploadimg, and a card only with its cover's pic_media_id
            assertThat(code("{\"sender\":\"a\",\"attachments\":[{\"msgtype\":\"image\",\"image\":{\"pic_url\":\"https://x/y.png\"}}]}"))
                    .isEqualTo(40058);
            assertThat(code("{\"sender\":\"a\",\"attachments\":[{\"msgtype\":\"miniprogram\","
                    + "\"miniprogram\":{\"title\":\"t\",\"appid\":\"wx1\",\"page\":\"pages/index\"}}]}")).isEqualTo(40058);
        }

        private int code(String body) throws Exception {
            return http.call("externalcontact/add_msg_template", body).path("errcode").asInt();
        }
    }

    @Nested
    class AppMessages {

        @Test
        void aTextNotificationIsKeptWithItsRecipients() throws Exception {
            JsonNode r = http.call("message/send",
                    "{\"touser\":\"zhangsan|lisi\",\"msgtype\":\"text\",\"agentid\":1000002,\"text\":{\"content\":\"3 tasks wait\"}}");

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("invaliduser").asText()).isEmpty();
            assertThat(r.path("msgid").asText()).isNotBlank();
            JsonNode kept = stub.snapshot().path("notifications").get(0);
            assertThat(kept.path("touser").toString()).isEqualTo("[\"zhangsan\",\"lisi\"]");
            assertThat(kept.path("agentid").asInt()).isEqualTo(1000002);
            assertThat(kept.path("text").path("content").asText()).isEqualTo("3 tasks wait");
        }

        @Test
        void agentRecipientsAndContentAreChecked() throws Exception {
            assertThat(http.call("message/send", "{\"touser\":\"a\",\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}")
                    .path("errcode").asInt()).isEqualTo(40056);
            assertThat(http.call("message/send", "{\"agentid\":1000002,\"msgtype\":\"text\",\"text\":{\"content\":\"x\"}}")
                    .path("errcode").asInt()).isEqualTo(81013);
            assertThat(http.call("message/send", "{\"agentid\":1000002,\"touser\":\"a\",\"msgtype\":\"text\",\"text\":{}}")
                    .path("errcode").asInt()).isEqualTo(44004);
        }
    }

    @Nested
    class Moments {

        @Test
        void aMomentTaskForTaggedCustomersAnswersAJobid() throws Exception {
            String tag = http.call("externalcontact/add_corp_tag", "{\"group_name\":\"tier\",\"tag\":[{\"name\":\"vip\"}]}")
                    .path("tag_group").path("tag").get(0).path("id").asText();

            JsonNode r = http.call("externalcontact/add_moment_task", "{\"text\":{\"content\":\"Autumn drop\"},"
                    + "\"visible_range\":{\"sender_list\":{\"user_list\":[\"zhangsan\"]},"
                    + "\"external_contact_list\":{\"tag_list\":[\"" + tag + "\"]}}}");

            assertThat(r.path("errcode").asInt()).isZero();
            assertThat(r.path("jobid").asText()).isEqualTo("jobSTUB00000001");
            JsonNode kept = stub.snapshot().path("moment_tasks").get(0);
            assertThat(kept.path("sender_list").toString()).isEqualTo("[\"zhangsan\"]");
            assertThat(kept.path("tag_list").toString()).isEqualTo("[\"" + tag + "\"]");
        }

        @Test
        void unknownTagsAndEmptyPostsAreRefused() throws Exception {
            assertThat(http.call("externalcontact/add_moment_task", "{\"text\":{\"content\":\"x\"},"
                    + "\"visible_range\":{\"external_contact_list\":{\"tag_list\":[\"etNOPE\"]}}}").path("errcode").asInt())
                    .isEqualTo(40068);
            assertThat(http.call("externalcontact/add_moment_task", "{}").path("errcode").asInt()).isEqualTo(40058);
        }
    }

    @Test
    void callsAreRecordedAtTheStubsClock() throws Exception {
        clock.advance(Duration.ofDays(3));
        http.call("message/send", "{\"touser\":\"a\",\"msgtype\":\"text\",\"agentid\":1,\"text\":{\"content\":\"x\"}}");

        assertThat(stub.calls("message/send")).singleElement()
                .satisfies(c -> assertThat(c.at()).isEqualTo(Instant.parse("2025-06-04T00:00:00Z")));
        assertThat(http.get("/_calls").get(1).path("at").asText()).isEqualTo("2025-06-04T00:00:00Z");
    }

    @Test
    void failuresCanBeInjectedForTheNewApis() throws Exception {
        http.post("/_fail", "{\"api\":\"/cgi-bin/externalcontact/add_msg_template\",\"errcode\":41048}");
        http.post("/_fail", "{\"api\":\"message/send\",\"http_status\":502}");

        assertThat(http.call("externalcontact/add_msg_template", "{\"sender\":\"a\",\"text\":{\"content\":\"x\"}}")
                .path("errcode").asInt()).isEqualTo(41048);
        assertThat(http.postForResponse("/cgi-bin/message/send?access_token=" + http.token(), "{}").statusCode())
                .isEqualTo(502);
        assertThat(stub.calls("externalcontact/add_msg_template")).extracting(RecordedCall::errcode).containsExactly(41048);
        assertThat(stub.snapshot().path("msg_templates")).isEmpty();
    }

    @Test
    void resetForgetsMessages() throws Exception {
        http.call("externalcontact/add_msg_template", "{\"sender\":\"a\",\"text\":{\"content\":\"x\"}}");

        stub.reset();

        assertThat(stub.snapshot().path("msg_templates")).isEmpty();
        assertThat(http.call("externalcontact/add_msg_template", "{\"sender\":\"a\",\"text\":{\"content\":\"x\"}}")
                .path("msgid").asText()).isEqualTo("msgSTUB00000001");
    }

    /** What a sender whose answer was lost reads to learn whether WeCom got its task. */
    @Nested
    class SendRecords {
        // 2025-06-01T00:00:00Z, the clock's start
        static final long T0 = 1748736000L;

        @Test
        void aMessageTaskIsListedInItsWindowWithItsRecipients() throws Exception {
            http.call("externalcontact/add_msg_template",
                    "{\"sender\":\"zhangsan\",\"external_userid\":[\"wm1\"],\"text\":{\"content\":\"hi\"}}");

            JsonNode list = http.call("externalcontact/get_groupmsg_list_v2", "{\"chat_type\":\"single\",\"start_time\":"
                    + (T0 - 60) + ",\"end_time\":" + (T0 + 60) + ",\"filter_type\":0}");
            assertThat(list.path("errcode").asInt()).isZero();
            JsonNode task = list.path("group_msg_list").get(0);
            assertThat(task.path("msgid").asText()).isEqualTo("msgSTUB00000001");
            assertThat(task.path("creator").asText()).isEqualTo("zhangsan");
            assertThat(task.path("create_time").asLong()).isEqualTo(T0);
            assertThat(task.path("create_type").asInt()).isZero();
            assertThat(task.path("text").path("content").asText()).isEqualTo("hi");
            assertThat(http.call("externalcontact/get_groupmsg_list_v2", "{\"start_time\":" + (T0 + 1) + ",\"end_time\":"
                    + (T0 + 60) + "}").path("group_msg_list")).as("after it").isEmpty();
            assertThat(http.call("externalcontact/get_groupmsg_list_v2", "{\"chat_type\":\"group\",\"start_time\":"
                    + (T0 - 60) + ",\"end_time\":" + (T0 + 60) + "}").path("group_msg_list")).as("group tasks").isEmpty();

            JsonNode result = http.call("externalcontact/get_groupmsg_send_result",
                    "{\"msgid\":\"msgSTUB00000001\",\"userid\":\"zhangsan\"}");
            assertThat(result.path("send_list").get(0).path("external_userid").asText()).isEqualTo("wm1");
            assertThat(result.path("send_list").get(0).path("userid").asText()).isEqualTo("zhangsan");
            assertThat(http.call("externalcontact/get_groupmsg_send_result",
                    "{\"msgid\":\"msgSTUB00000001\",\"userid\":\"lisi\"}").path("send_list")).as("not lisi's").isEmpty();
        }

        @Test
        void aMomentsPostIsListedByItsMomentId() throws Exception {
            http.call("externalcontact/add_moment_task",
                    "{\"text\":{\"content\":\"new season\"},\"visible_range\":{\"sender_list\":{\"user_list\":[\"zhangsan\"]}}}");

            JsonNode list = http.call("externalcontact/get_moment_list", "{\"start_time\":" + (T0 - 60)
                    + ",\"end_time\":" + (T0 + 60) + ",\"filter_type\":0,\"limit\":100}");

            assertThat(list.path("errcode").asInt()).isZero();
            assertThat(list.path("moment_list").get(0).path("moment_id").asText()).isEqualTo("momSTUB00000001");
            assertThat(list.path("moment_list").get(0).path("text").path("content").asText()).isEqualTo("new season");
            assertThat(http.call("externalcontact/get_moment_list", "{\"start_time\":" + (T0 - 60) + ",\"end_time\":"
                    + (T0 + 60) + ",\"filter_type\":1}").path("moment_list")).as("personal posts only").isEmpty();
        }

        @Test
        void theListsRefuseWhatWeComRefuses() throws Exception {
            assertThat(http.call("externalcontact/get_groupmsg_list_v2", "{\"chat_type\":\"single\"}")
                    .path("errcode").asInt()).as("no window").isEqualTo(40058);
            assertThat(http.call("externalcontact/get_groupmsg_list_v2", "{\"start_time\":" + T0 + ",\"end_time\":"
                    + (T0 + 32 * 86_400) + "}").path("errcode").asInt()).as("more than a month").isEqualTo(600018);
            assertThat(http.call("externalcontact/get_groupmsg_list_v2", "{\"chat_type\":\"both\",\"start_time\":"
                    + T0 + ",\"end_time\":" + T0 + "}").path("errcode").asInt()).isEqualTo(40058);
            assertThat(http.call("externalcontact/get_groupmsg_send_result", "{\"msgid\":\"msgSTUB00000001\"}")
                    .path("errcode").asInt()).as("no userid").isEqualTo(40058);
            assertThat(http.call("externalcontact/get_moment_list", "{\"start_time\":" + T0 + ",\"end_time\":"
                    + (T0 + 31 * 86_400) + "}").path("errcode").asInt()).as("more than 30 days").isEqualTo(600018);
            assertThat(http.call("externalcontact/get_moment_list", "{\"start_time\":" + T0 + "}")
                    .path("errcode").asInt()).isEqualTo(40058);
        }
    }
}
