package dev.siyu.stack.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.siyu.memory.VirtualClock;
import dev.siyu.memory.rules.CustomerTaskLimit;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import me.chanjar.weixin.common.bean.result.WxMediaUploadResult;
import me.chanjar.weixin.common.error.WxErrorException;
import me.chanjar.weixin.cp.api.WxCpService;
import me.chanjar.weixin.cp.api.impl.WxCpServiceImpl;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplate;
import me.chanjar.weixin.cp.bean.external.WxCpMsgTemplateAddResult;
import me.chanjar.weixin.cp.bean.external.WxCpWelcomeMsg;
import me.chanjar.weixin.cp.bean.external.msg.Attachment;
import me.chanjar.weixin.cp.bean.external.msg.Image;
import me.chanjar.weixin.cp.bean.external.msg.MiniProgram;
import me.chanjar.weixin.cp.bean.external.msg.Text;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The stub refuses what WeCom refuses (docs/wecom-rules.md), called through WxJava as the suite calls it:
 * each test is one rule and its documented errcode.
 */
class WeComStubRulesTest {

    static final String CORP = "wwsiyu0000demo0001";
    static final String SECRET = "siyu-local-contact-secret";
    /** A 1x1 PNG. */
    static final byte[] PNG = Base64.getDecoder().decode(
            "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4z8AAAAMBAQDJ/pLvAAAAAElFTkSuQmCC");

    final VirtualClock clock = new VirtualClock(Instant.parse("2025-06-02T02:00:00Z"));
    WeComStub stub;
    WxCpService wx;
    StubHttp http;

    @BeforeEach
    void start() {
        stub = new WeComStub(CORP, SECRET, clock).start(0);
        WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
        config.setCorpId(CORP);
        config.setCorpSecret(SECRET);
        config.setBaseApiUrl(stub.baseUrl());
        WxCpServiceImpl service = new WxCpServiceImpl();
        service.setWxCpConfigStorage(config);
        service.setMaxRetryTimes(1);
        wx = service;
        http = new StubHttp(stub, CORP, SECRET);
    }

    @AfterEach
    void stop() {
        stub.close();
    }

    String upload(byte[] bytes) throws Exception {
        WxMediaUploadResult r = wx.getMediaService().upload("image", "png", new ByteArrayInputStream(bytes));
        return r.getMediaId();
    }

    static WxCpMsgTemplate card(String picMediaId) {
        MiniProgram mp = new MiniProgram();
        mp.setTitle("Getting started");
        mp.setAppid("wx0000000000000000");
        mp.setPage("pages/guide/index");
        mp.setPicMediaId(picMediaId);
        Attachment a = new Attachment();
        a.setMiniProgram(mp);
        WxCpMsgTemplate t = new WxCpMsgTemplate();
        t.setChatType("single");
        t.setSender("amy");
        t.setExternalUserid(List.of("wmC1"));
        t.setAttachments(List.of(a));
        return t;
    }

    static int errcode(ThrowingCall call) {
        try {
            call.run();
        } catch (WxErrorException e) {
            return e.getError().getErrorCode();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return 0;
    }

    interface ThrowingCall {
        void run() throws Exception;
    }

    @Nested
    class Media {
        @Test
        void anUploadedPictureGetsAMediaIdWithItsCreationTime() throws Exception {
            WxMediaUploadResult r = wx.getMediaService().upload("image", "png", new ByteArrayInputStream(PNG));

            assertThat(r.getMediaId()).isNotBlank();
            assertThat(r.getCreatedAt()).isEqualTo(clock.instant().getEpochSecond());
            assertThat(stub.snapshot().path("media").get(0).asText()).isEqualTo(r.getMediaId());
        }

        @Test
        void anImageThatIsNotJpgOrPngIsRefusedWith40004() {
            assertThat(errcode(() -> upload("GIF89a-not-a-png".getBytes()))).isEqualTo(40004);
        }

        @Test
        void anUploadOfAnUnknownTypeIsRefusedWith40005() {
            assertThat(errcode(() -> wx.getMediaService().upload("sticker", "png", new ByteArrayInputStream(PNG))))
                    .isEqualTo(40005);
        }

        @Test
        void anUploadimgPictureOverTwoMegabytesIsRefusedWith40009() throws Exception {
            byte[] big = new byte[2 * 1024 * 1024 + 1];
            System.arraycopy(PNG, 0, big, 0, PNG.length);
            java.io.File f = java.io.File.createTempFile("big", ".png");
            f.deleteOnExit();
            java.nio.file.Files.write(f.toPath(), big);

            assertThat(errcode(() -> wx.getMediaService().uploadImg(f))).isEqualTo(40009);
        }

        @Test
        void aFileOfFiveBytesOrLessIsRefusedWith40006() {
            assertThat(errcode(() -> upload(new byte[] {1, 2, 3}))).isEqualTo(40006);
        }

        @Test
        void aMiniProgramCardWithAFreshPictureIsAccepted() throws Exception {
            String id = upload(PNG);

            WxCpMsgTemplateAddResult r = wx.getExternalContactService().addMsgTemplate(card(id));

            assertThat(r.getMsgId()).isNotBlank();
        }

        @Test
        void aMiniProgramCardWithoutPicMediaIdIsRefusedWith40058() {
            assertThat(errcode(() -> wx.getExternalContactService().addMsgTemplate(card(null)))).isEqualTo(40058);
        }

        @Test
        void aMediaIdThatWasNeverUploadedIsRefusedWith40007() {
            assertThat(errcode(() -> wx.getExternalContactService().addMsgTemplate(card("3MEDIAmadeup"))))
                    .isEqualTo(40007);
        }

        @Test
        void aMediaIdExpiresThreeDaysAfterItsUpload() throws Exception {
            String id = upload(PNG);
            clock.advance(Duration.ofDays(3).minusSeconds(1));
            assertThat(errcode(() -> wx.getExternalContactService().addMsgTemplate(card(id)))).isZero();

            clock.advance(Duration.ofSeconds(1));

            assertThat(errcode(() -> wx.getExternalContactService().addMsgTemplate(card(id)))).isEqualTo(40007);
        }

        @Test
        void anImageNeedsAnUploadedMediaIdOrAnUploadimgUrl() throws Exception {
            Image image = new Image();
            image.setPicUrl("https://img.example.com/a.png");
            Attachment a = new Attachment();
            a.setImage(image);
            WxCpMsgTemplate t = card("x");
            t.setAttachments(List.of(a));
            assertThat(errcode(() -> wx.getExternalContactService().addMsgTemplate(t))).isEqualTo(40058);

            java.io.File f = java.io.File.createTempFile("pic", ".png");
            java.nio.file.Files.write(f.toPath(), PNG);
            image.setPicUrl(wx.getMediaService().uploadImg(f));
            assertThat(errcode(() -> wx.getExternalContactService().addMsgTemplate(t))).isZero();
        }
    }

    @Nested
    class Welcome {
        WxCpWelcomeMsg welcome(String code, String text) {
            Text t = new Text();
            t.setContent(text);
            return WxCpWelcomeMsg.builder().welcomeCode(code).text(t).build();
        }

        @Test
        void aWelcomeCodeIsGoodForTwentySecondsAfterTheAddEvent() {
            stub.welcomeCodeIssued("CODE1", clock.instant());
            stub.welcomeCodeIssued("CODE2", clock.instant());
            clock.advance(Duration.ofSeconds(20));
            assertThat(errcode(() -> wx.getExternalContactService().sendWelcomeMsg(welcome("CODE1", "Hi")))).isZero();

            clock.advance(Duration.ofSeconds(1));

            assertThat(errcode(() -> wx.getExternalContactService().sendWelcomeMsg(welcome("CODE2", "Hi"))))
                    .isEqualTo(41051);
        }

        @Test
        void aWelcomeCodeIsGoodOnce() {
            stub.welcomeCodeIssued("CODE1", clock.instant());
            assertThat(errcode(() -> wx.getExternalContactService().sendWelcomeMsg(welcome("CODE1", "Hi")))).isZero();

            assertThat(errcode(() -> wx.getExternalContactService().sendWelcomeMsg(welcome("CODE1", "Hi again"))))
                    .isEqualTo(41051);
        }

        @Test
        void aWelcomeTextOver4000BytesIsRefused() {
            String text = "欢".repeat(1334);

            assertThat(errcode(() -> wx.getExternalContactService().sendWelcomeMsg(welcome("CODE1", text))))
                    .isEqualTo(40058);
        }
    }

    @Nested
    class CustomerTaskLimits {
        WxCpMsgTemplate text(String customer) {
            Text t = new Text();
            t.setContent("hello");
            WxCpMsgTemplate m = new WxCpMsgTemplate();
            m.setChatType("single");
            m.setSender("amy");
            m.setExternalUserid(List.of(customer));
            m.setText(t);
            return m;
        }

        @Test
        void withOneADayASecondTaskThatDayLeavesTheCustomerInTheFailList() throws Exception {
            stub.customerTaskLimit(CustomerTaskLimit.ONE_A_DAY);
            assertThat(wx.getExternalContactService().addMsgTemplate(text("wmC1")).getFailList()).isNullOrEmpty();

            WxCpMsgTemplateAddResult second = wx.getExternalContactService().addMsgTemplate(text("wmC1"));

            assertThat(second.getFailList()).containsExactly("wmC1");
            clock.advance(Duration.ofDays(1));
            assertThat(wx.getExternalContactService().addMsgTemplate(text("wmC1")).getFailList()).isNullOrEmpty();
        }

        @Test
        void withSevenAWeekTheEighthTaskOfTheWeekFails() throws Exception {
            stub.customerTaskLimit(CustomerTaskLimit.SEVEN_A_WEEK);
            for (int i = 0; i < 7; i++) {
                assertThat(wx.getExternalContactService().addMsgTemplate(text("wmC1")).getFailList()).isNullOrEmpty();
            }

            assertThat(wx.getExternalContactService().addMsgTemplate(text("wmC1")).getFailList()).containsExactly("wmC1");
        }

        @Test
        void byDefaultAMonthTakesAsManyTasksAsItHasDays() throws Exception {
            // June has 30 days; the clock is 2 June.
            for (int i = 0; i < 30; i++) {
                assertThat(wx.getExternalContactService().addMsgTemplate(text("wmC1")).getFailList()).isNullOrEmpty();
            }

            assertThat(wx.getExternalContactService().addMsgTemplate(text("wmC1")).getFailList()).containsExactly("wmC1");
        }
    }

    @Nested
    class RequiredFields {
        @Test
        void eachEndpointRefusesAMissingRequiredFieldWith40058() throws Exception {
            assertThat(http.call("externalcontact/mark_tag", "{\"external_userid\":\"wm1\",\"add_tag\":[\"t\"]}")
                    .path("errcode").asInt()).isEqualTo(40058);
            assertThat(http.call("externalcontact/transfer_customer",
                    "{\"handover_userid\":\"a\",\"external_userid\":[\"wm1\"]}").path("errcode").asInt()).isEqualTo(40058);
            assertThat(http.call("externalcontact/get_groupmsg_send_result", "{\"msgid\":\"m\"}")
                    .path("errcode").asInt()).isEqualTo(40058);
            assertThat(http.call("message/send", "{\"touser\":\"amy\",\"agentid\":1}")
                    .path("errcode").asInt()).isEqualTo(40058);
        }

        @Test
        void aTaskForMoreThanTenThousandCustomersIsRefusedWith40058() throws Exception {
            String ids = java.util.stream.IntStream.range(0, 10_001).mapToObj(i -> "\"wm" + i + "\"")
                    .collect(java.util.stream.Collectors.joining(","));
            JsonNode r = http.call("externalcontact/add_msg_template",
                    "{\"chat_type\":\"single\",\"sender\":\"amy\",\"external_userid\":[" + ids
                            + "],\"text\":{\"content\":\"hi\"}}");

            assertThat(r.path("errcode").asInt()).isEqualTo(40058);
            assertThat(r.path("errmsg").asText()).contains("10000");
        }

        @Test
        void anAppMessageToMoreThanAThousandStaffIsRefusedWith40058() throws Exception {
            String users = java.util.stream.IntStream.range(0, 1001).mapToObj(i -> "u" + i)
                    .collect(java.util.stream.Collectors.joining("|"));
            JsonNode r = http.call("message/send", "{\"touser\":\"" + users
                    + "\",\"agentid\":1,\"msgtype\":\"text\",\"text\":{\"content\":\"hi\"}}");

            assertThat(r.path("errcode").asInt()).isEqualTo(40058);
        }

        @Test
        void aCorpTagNameOverThirtyCharactersIsRefusedWith40058() throws Exception {
            JsonNode r = http.call("externalcontact/add_corp_tag",
                    "{\"group_name\":\"g\",\"tag\":[{\"name\":\"" + "t".repeat(31) + "\"}]}");

            assertThat(r.path("errcode").asInt()).isEqualTo(40058);
        }

        @Test
        void aMomentsPostTakesNoMiniProgramCard() throws Exception {
            JsonNode r = http.call("externalcontact/add_moment_task", """
                    {"attachments":[{"msgtype":"miniprogram","miniprogram":{"title":"t","appid":"a","page":"p"}}]}""");

            assertThat(r.path("errcode").asInt()).isEqualTo(40008);
        }
    }

    @Test
    void aRefusedCallIsRecordedWithItsErrcode() {
        assertThatThrownBy(() -> wx.getExternalContactService().addMsgTemplate(card(null)))
                .isInstanceOf(WxErrorException.class);
        assertThat(stub.calls("externalcontact/add_msg_template").get(0).errcode()).isEqualTo(40058);
    }
}
