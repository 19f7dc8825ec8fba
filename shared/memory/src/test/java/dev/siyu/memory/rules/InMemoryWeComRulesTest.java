package dev.siyu.memory.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.media.CardMedia;
import dev.siyu.core.media.MediaAttachingWeComApi;
import dev.siyu.core.media.PictureFiles;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApi.Attachment;
import dev.siyu.core.port.WeComApi.MsgTemplate;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.memory.CallLog;
import dev.siyu.memory.MemoryMediaCache;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The in-memory WeCom (what {@code ./siyu demo --store memory} and the tests run against) refuses what WeCom
 * refuses, by the same {@link WeComRules} as the stack's stub; and the engine's cards carry a fresh upload.
 */
class InMemoryWeComRulesTest {
    final VirtualClock clock = new VirtualClock(Instant.parse("2026-03-02T02:00:00Z"));
    final RecordingWeComApi wecom = new RecordingWeComApi(clock);
    final MemoryMediaCache cache = new MemoryMediaCache();
    /** The API as the engine wraps it. */
    final WeComApi engine = new MediaAttachingWeComApi(wecom,
            new CardMedia("acme", cache, PictureFiles.standard(), wecom, clock));

    static MsgTemplate card(String picture, String mediaId) {
        return MsgTemplate.single("amy", List.of("wm1"), "Your guide",
                new Attachment("miniprogram", "Getting started", "pages/guide/index", picture, mediaId));
    }

    static int refusal(Runnable call) {
        try {
            call.run();
        } catch (WeComApiException e) {
            return e.errcode();
        }
        return 0;
    }

    @Test
    void aMiniProgramCardWithoutAnUploadedPictureIsRefusedWith40058() {
        assertThat(refusal(() -> wecom.addMsgTemplate(card(null, null)))).isEqualTo(WeComRules.INVALID_PARAMETER);
        assertThat(wecom.drain()).extracting(CallLog.Call::errcode).containsExactly(WeComRules.INVALID_PARAMETER);
    }

    @Test
    void aMediaIdNeverUploadedIsRefusedWith40007() {
        assertThat(refusal(() -> wecom.addMsgTemplate(card(null, "3MEDIAmadeup")))).isEqualTo(WeComRules.INVALID_MEDIA_ID);
    }

    @Test
    void theEnginesCardCarriesAFreshlyUploadedPictureAndIsAccepted() {
        engine.touching("j#1#0").addMsgTemplate(card("media/guide-card.png", null));

        List<CallLog.Call> calls = wecom.drain();
        assertThat(calls).extracting(CallLog.Call::api).containsExactly("media/upload", "externalcontact/add_msg_template");
        String uploaded = calls.get(0).body().path("media_id").asText();
        assertThat(calls.get(1).body().path("attachments").path(0).path("miniprogram").path("pic_media_id").asText())
                .isEqualTo(uploaded);
        assertThat(calls.get(1).errcode()).isZero();
        assertThat(calls.get(0).touchId()).as("an upload reaches nobody").isNull();
        assertThat(calls.get(1).touchId()).isEqualTo("j#1#0");
    }

    @Test
    void aPictureIsUploadedOnceAndAgainWhenLessThan12HoursOfItsThreeDaysAreLeft() {
        engine.addMsgTemplate(card("media/guide-card.png", null));
        clock.advance(Duration.ofDays(2).plusHours(11));
        engine.addMsgTemplate(card("media/guide-card.png", null));
        assertThat(wecom.drain()).extracting(CallLog.Call::api).containsExactly("media/upload",
                "externalcontact/add_msg_template", "externalcontact/add_msg_template");

        clock.advance(Duration.ofHours(2));
        engine.addMsgTemplate(card("media/guide-card.png", null));

        assertThat(wecom.drain()).extracting(CallLog.Call::api).containsExactly("media/upload",
                "externalcontact/add_msg_template");
    }

    @Test
    void aFunctionWithoutTheBlueprintsDirectoryUploadsThePictureApplyStored() {
        byte[] png = new PictureFiles(null).read(PictureFiles.PLACEHOLDER);
        cache.storeFile("acme", "media/brand-only.png", png);
        WeComApi deployed = new MediaAttachingWeComApi(wecom,
                new CardMedia("acme", cache, new PictureFiles(null), wecom, clock));

        deployed.addMsgTemplate(card("media/brand-only.png", null));

        assertThat(wecom.drain()).extracting(CallLog.Call::api, CallLog.Call::errcode).containsExactly(
                org.assertj.core.groups.Tuple.tuple("media/upload", 0),
                org.assertj.core.groups.Tuple.tuple("externalcontact/add_msg_template", 0));
    }

    @Test
    void aCachedMediaIdPastItsThreeDaysIsRefusedWith40007() {
        String id = wecom.uploadImage("guide-card.png", new PictureFiles(null).read(PictureFiles.PLACEHOLDER)).mediaId();
        clock.advance(Duration.ofDays(3));

        assertThat(refusal(() -> wecom.addMsgTemplate(card(null, id)))).isEqualTo(WeComRules.INVALID_MEDIA_ID);
    }

    @Test
    void anUploadThatIsNotAPictureIsRefusedWith40004() {
        assertThat(refusal(() -> wecom.uploadImage("a.png", "not a picture".getBytes())))
                .isEqualTo(WeComRules.INVALID_MEDIA_FILE_TYPE);
    }

    @Test
    void aWelcomeCodeIsGoodTwentySecondsAfterItsEventAndOnce() {
        wecom.welcomeCodeIssued("CODE-1", clock.instant());
        wecom.welcomeCodeIssued("CODE-2", clock.instant());
        clock.advance(Duration.ofSeconds(20));
        wecom.sendWelcome("CODE-1", "Hello");
        assertThat(refusal(() -> wecom.sendWelcome("CODE-1", "Hello"))).isEqualTo(WeComRules.WELCOME_CODE_USED);

        clock.advance(Duration.ofSeconds(1));

        assertThat(refusal(() -> wecom.sendWelcome("CODE-2", "Hello"))).isEqualTo(WeComRules.WELCOME_CODE_USED);
    }

    @Test
    void aWelcomeOver4000BytesIsRefused() {
        assertThat(refusal(() -> wecom.sendWelcome("CODE-1", "x".repeat(4001)))).isEqualTo(WeComRules.INVALID_PARAMETER);
    }

    @Test
    void withOneADayTheSecondTaskToACustomerThatDayDoesNotReachThem() {
        wecom.rules().customerTaskLimit(CustomerTaskLimit.ONE_A_DAY);
        String first = wecom.addMsgTemplate(MsgTemplate.single("amy", List.of("wm1"), "one", null));
        String second = wecom.addMsgTemplate(MsgTemplate.single("amy", List.of("wm1", "wm2"), "two", null));

        assertThat(wecom.groupMsgSendResult(first, "amy")).extracting(WeComApi.GroupMsgRecipient::externalUserId)
                .containsExactly("wm1");
        assertThat(wecom.groupMsgSendResult(second, "amy")).extracting(WeComApi.GroupMsgRecipient::externalUserId)
                .containsExactly("wm2");
    }

    @Test
    void aMissingRequiredFieldIsRefusedWith40058() {
        assertThatThrownBy(() -> wecom.markTag("", "wm1", List.of("t1"), List.of()))
                .isInstanceOfSatisfying(WeComApiException.class, e -> assertThat(e.errcode()).isEqualTo(40058));
        assertThatThrownBy(() -> wecom.transferCustomers("amy", "", List.of("wm1"), false))
                .isInstanceOfSatisfying(WeComApiException.class, e -> assertThat(e.errcode()).isEqualTo(40058));
    }
}
