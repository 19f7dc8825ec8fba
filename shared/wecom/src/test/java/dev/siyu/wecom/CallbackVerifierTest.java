package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.siyu.core.event.WeComEvent;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import me.chanjar.weixin.common.util.crypto.WxCryptUtil;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;
import me.chanjar.weixin.cp.util.crypto.WxCpCryptUtil;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CallbackVerifierTest {

    static final WeComSettings SETTINGS = LocalEnv.settings();
    static final String CORP = SETTINGS.corpId();
    static final Instant T = Instant.parse("2025-06-01T00:00:00Z");
    static final String TS = "1748736001";
    static final String NONCE = "1372623149";

    final CallbackEncryptor encryptor = new CallbackEncryptor(SETTINGS, new Random(7));
    final CallbackVerifier verifier = new CallbackVerifier(SETTINGS);

    static Stream<WeComEvent> everyEventKind() {
        return Stream.of(
                new WeComEvent.ContactAdded("zhangsan", "wmEAST00000000000000000001", "parcel_card_east", "WELCOME-1", false, T),
                new WeComEvent.ContactAdded("lisi", "wmHALF00000000000000000004", "parcel_card_east", null, true, T.plusSeconds(1)),
                new WeComEvent.ContactAdded("zhangsan", "wmNOSTATE000000000000000005", null, "WELCOME-2", false, T.plusSeconds(2)),
                new WeComEvent.ContactEdited("zhangsan", "wmEAST00000000000000000001", T.plusSeconds(3)),
                new WeComEvent.ContactDeleted("zhangsan", "wmEAST00000000000000000001", "DELETE_BY_TRANSFER", T.plusSeconds(4)),
                new WeComEvent.ContactDeleted("zhangsan", "wmEAST00000000000000000001", null, T.plusSeconds(5)),
                new WeComEvent.FollowUserDeleted("wangwu", "wmLIVE00000000000000000002", T.plusSeconds(6)),
                new WeComEvent.TransferFailed("zhouba", "wmSTORE0000000000000000003", "customer_refused", T.plusSeconds(7)),
                new WeComEvent.ChatCreated("wrSIYU000000000000000000001", T.plusSeconds(8)),
                new WeComEvent.ChatUpdated("wrSIYU000000000000000000001", "add_member", 3, 0, 2,
                        List.of("wmEAST00000000000000000001", "wmLIVE00000000000000000002"), T.plusSeconds(9)),
                new WeComEvent.ChatUpdated("wrSIYU000000000000000000001", "del_member", 0, 1, 1,
                        List.of("wmLIVE00000000000000000002"), T.plusSeconds(10)),
                new WeComEvent.ChatUpdated("wrSIYU000000000000000000001", "change_owner", 0, 0, 0, List.of(), T.plusSeconds(11)),
                new WeComEvent.ChatUpdated("wrSIYU000000000000000000001", "change_name", 0, 0, 0, List.of(), T.plusSeconds(12)),
                new WeComEvent.ChatDismissed("wrSIYU000000000000000000001", T.plusSeconds(13)),
                new WeComEvent.TagChanged("etSIYUtag0001", "tag", "create", null, T.plusSeconds(14)),
                new WeComEvent.TagChanged("etSIYUgroup01", "tag_group", "delete", "7", T.plusSeconds(15)),
                new WeComEvent.TagChanged("", null, "shuffle", null, T.plusSeconds(16)),
                new WeComEvent.Unhandled("change_contact", "update_user", "sys", T.plusSeconds(17)),
                new WeComEvent.Unhandled("change_external_contact", "msg_audit_approved", "sys", T.plusSeconds(18)),
                new WeComEvent.Unhandled("change_external_chat", "unknown_change", "sys", T.plusSeconds(19)),
                new WeComEvent.Unhandled("enter_agent", null, "zhangsan", T.plusSeconds(20)));
    }

    @ParameterizedTest
    @MethodSource("everyEventKind")
    void encryptThenVerifyGivesTheSameEvent(WeComEvent event) {
        EncryptedCallback callback = encryptor.encrypt(CallbackXml.of(CORP, event), TS, NONCE);

        WeComEvent parsed = verifier.verify(callback.query(), callback.body());

        assertThat(parsed).isEqualTo(event);
        assertThat(parsed.dedupKey()).isEqualTo(event.dedupKey());
    }

    @Test
    void namedBuildersMatchTheEventTheyDescribe() {
        String xml = CallbackXml.contactAdded(CORP, "zhangsan", "wmEAST00000000000000000001", "parcel_card_east",
                "WELCOME-1", T);

        assertThat(xml).contains("<ChangeType><![CDATA[add_external_contact]]></ChangeType>",
                "<CreateTime>1748736000</CreateTime>", "<FromUserName><![CDATA[sys]]></FromUserName>");
        assertThat(new CallbackParser().parse(xml)).isEqualTo(new WeComEvent.ContactAdded("zhangsan",
                "wmEAST00000000000000000001", "parcel_card_east", "WELCOME-1", false, T));
    }

    @Test
    void valuesWithCdataTerminatorsSurvive() {
        WeComEvent event = new WeComEvent.ContactAdded("zhang]]>san", "wm<&>", "st]]>ate", "w", false, T);

        EncryptedCallback callback = encryptor.encrypt(CallbackXml.of(CORP, event), TS, NONCE);

        assertThat(verifier.verify(callback.query(), callback.body())).isEqualTo(event);
    }

    /** The examples from WeCom's documentation, tabs and extra fields included. */
    @Nested
    class WeComDocumentationSamples {
        final CallbackParser parser = new CallbackParser();

        @Test
        void addExternalContact() {
            String xml = """
                    <xml>
                    \t<ToUserName><![CDATA[toUser]]></ToUserName>
                    \t<FromUserName><![CDATA[sys]]></FromUserName>\s
                    \t<CreateTime>1403610513</CreateTime>
                    \t<MsgType><![CDATA[event]]></MsgType>
                    \t<Event><![CDATA[change_external_contact]]></Event>
                    \t<ChangeType><![CDATA[add_external_contact]]></ChangeType>
                    \t<UserID><![CDATA[zhangsan]]></UserID>
                    \t<ExternalUserID><![CDATA[woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA]]></ExternalUserID>
                    \t<State><![CDATA[teststate]]></State>
                    \t<WelcomeCode><![CDATA[WELCOMECODE]]></WelcomeCode>
                    </xml>""";

            assertThat(parser.parse(xml)).isEqualTo(new WeComEvent.ContactAdded("zhangsan",
                    "woAJ2GCAAAXtWyujaWJHDDGi0mACAAAA", "teststate", "WELCOMECODE", false,
                    Instant.ofEpochSecond(1403610513)));
        }

        @Test
        void chatUpdateAddMember() {
            String xml = """
                    <xml>
                    \t<ToUserName><![CDATA[toUser]]></ToUserName>
                    \t<FromUserName><![CDATA[sys]]></FromUserName>
                    \t<CreateTime>1403610513</CreateTime>
                    \t<MsgType><![CDATA[event]]></MsgType>
                    \t<Event><![CDATA[change_external_chat]]></Event>
                    \t<ChatId><![CDATA[CHAT_ID]]></ChatId>
                    \t<ChangeType><![CDATA[update]]></ChangeType>
                    \t<UpdateDetail><![CDATA[add_member]]></UpdateDetail>
                    \t<JoinScene>1</JoinScene>
                    \t<QuitScene>0</QuitScene>
                    \t<MemChangeCnt>10</MemChangeCnt>
                    \t<MemChangeList><Item>Jack</Item><Item>Rose</Item></MemChangeList>
                    \t<LastMemVer>9c3f97c2ada667dfb5f6d03308d963e1</LastMemVer>
                    \t<CurMemVer>71217227bbd112ecfe3a49c482195cb4</CurMemVer>
                    </xml>""";

            assertThat(parser.parse(xml)).isEqualTo(new WeComEvent.ChatUpdated("CHAT_ID", "add_member", 1, 0, 10,
                    List.of("Jack", "Rose"), Instant.ofEpochSecond(1403610513)));
        }

        @Test
        void tagCreate() {
            String xml = """
                    <xml>
                    \t<ToUserName><![CDATA[toUser]]></ToUserName>
                    \t<FromUserName><![CDATA[sys]]></FromUserName>
                    \t<CreateTime>1403610513</CreateTime>
                    \t<MsgType><![CDATA[event]]></MsgType>
                    \t<Event><![CDATA[change_external_tag]]></Event>
                    \t<Id><![CDATA[TAG_ID]]></Id>
                    \t<TagType><![CDATA[tag]]></TagType>
                    \t<ChangeType><![CDATA[create]]></ChangeType>
                    \t<StrategyId>1</StrategyId>
                    </xml>""";

            assertThat(parser.parse(xml)).isEqualTo(new WeComEvent.TagChanged("TAG_ID", "tag", "create", "1",
                    Instant.ofEpochSecond(1403610513)));
        }
    }

    @Nested
    class UrlCheck {

        @Test
        void answersTheDecryptedEcho() {
            var check = encryptor.urlVerification("5927782489442352469", TS, NONCE);

            assertThat(verifier.verifyUrl(check.query())).isEqualTo("5927782489442352469");
            assertThat(verifier.verifyUrl(check.msgSignature(), TS, NONCE, check.echostr())).isEqualTo("5927782489442352469");
        }

        @Test
        void wrongSignatureIsUnauthorized() {
            var check = encryptor.urlVerification("5927782489442352469", TS, NONCE);

            assertThatThrownBy(() -> verifier.verifyUrl("0" + check.msgSignature().substring(1), TS, NONCE, check.echostr()))
                    .isInstanceOf(CallbackRejected.Unauthorized.class)
                    .extracting(e -> ((CallbackRejected) e).httpStatus()).isEqualTo(401);
        }

        @Test
        void missingEchostrIsBadRequest() {
            var check = encryptor.urlVerification("1", TS, NONCE);
            Map<String, String> query = new HashMap<>(check.query());
            query.remove("echostr");

            assertThatThrownBy(() -> verifier.verifyUrl(query))
                    .isInstanceOf(CallbackRejected.BadRequest.class).hasMessageContaining("echostr");
        }

        @Test
        void echoForAnotherCorpIsBadRequest() {
            var other = new CallbackEncryptor(SETTINGS.withCorpId("wwanothercorp0001"));
            var check = other.urlVerification("1", TS, NONCE);

            assertThatThrownBy(() -> verifier.verifyUrl(check.query()))
                    .isInstanceOf(CallbackRejected.BadRequest.class).hasMessageContaining("corp id");
        }
    }

    /** Our envelope is WeCom's: WxJava's reference implementation reads ours and we read its. */
    @Nested
    class WireCompatibility {

        @Test
        void wxJavaDecryptsWhatWeEncrypt() {
            String xml = CallbackXml.chatCreated(CORP, "wrSIYU000000000000000000001", T);
            EncryptedCallback callback = encryptor.encrypt(xml, TS, NONCE);

            String decrypted = wxJava().decryptXml(callback.msgSignature(), TS, NONCE, callback.body());

            assertThat(decrypted).isEqualTo(xml);
        }

        @Test
        void weVerifyWhatWxJavaEncrypts() {
            String xml = CallbackXml.chatDismissed(CORP, "wrSIYU000000000000000000001", T);
            WxCryptUtil.EncryptContext ctx = wxJava().encryptContext(xml);
            String body = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA["
                    + ctx.getEncrypt() + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";

            WeComEvent event = verifier.verify(ctx.getSignature(), ctx.getTimeStamp(), ctx.getNonce(), body);

            assertThat(event).isEqualTo(new WeComEvent.ChatDismissed("wrSIYU000000000000000000001", T));
        }

        private WxCpCryptUtil wxJava() {
            WxCpDefaultConfigImpl config = new WxCpDefaultConfigImpl();
            config.setCorpId(CORP);
            config.setToken(SETTINGS.token());
            config.setAesKey(SETTINGS.aesKey());
            return new WxCpCryptUtil(config);
        }
    }

    @Nested
    class Rejections {
        final String xml = CallbackXml.contactAdded(CORP, "zhangsan", "wmEAST00000000000000000001", "s", "w", T);
        final EncryptedCallback good = encryptor.encrypt(xml, TS, NONCE);

        @Test
        void wrongSignatureIsUnauthorized() {
            Map<String, String> query = new HashMap<>(good.query());
            query.put("msg_signature", "da39a3ee5e6b4b0d3255bfef95601890afd80709");

            assertThatThrownBy(() -> verifier.verify(query, good.body()))
                    .isInstanceOf(CallbackRejected.Unauthorized.class)
                    .hasMessageContaining("msg_signature")
                    .extracting(e -> ((CallbackRejected) e).httpStatus()).isEqualTo(401);
        }

        @Test
        void anotherTokenIsUnauthorized() {
            WeComSettings otherToken = new WeComSettings(CORP, SETTINGS.agentId(), SETTINGS.secret(), "someoneElsesToken",
                    SETTINGS.aesKey(), SETTINGS.apiBaseUrl(), SETTINGS.retry());
            EncryptedCallback forged = new CallbackEncryptor(otherToken).encrypt(xml, TS, NONCE);

            assertThatThrownBy(() -> verifier.verify(forged.query(), forged.body()))
                    .isInstanceOf(CallbackRejected.Unauthorized.class);
        }

        @Test
        void changedTimestampOrNonceIsUnauthorized() {
            Map<String, String> query = new HashMap<>(good.query());
            query.put("timestamp", "1748736999");
            assertThatThrownBy(() -> verifier.verify(query, good.body())).isInstanceOf(CallbackRejected.Unauthorized.class);

            query.put("timestamp", TS);
            query.put("nonce", "1");
            assertThatThrownBy(() -> verifier.verify(query, good.body())).isInstanceOf(CallbackRejected.Unauthorized.class);
        }

        @Test
        void signatureIsCheckedBeforeTheCiphertextIsTouched() {
            String body = "<xml><Encrypt><![CDATA[not base64 at all!]]></Encrypt></xml>";

            assertThatThrownBy(() -> verifier.verify(good.query(), body))
                    .isInstanceOf(CallbackRejected.Unauthorized.class);
        }

        @Test
        void tamperedCiphertextWithoutResigningIsUnauthorized() {
            String tampered = flipBit(good.encrypt(), 40);

            assertThatThrownBy(() -> verifier.verify(good.query(), body(tampered)))
                    .isInstanceOf(CallbackRejected.Unauthorized.class);
        }

        @Test
        void tamperedPaddingIsBadRequest() {
            byte[] raw = Base64.getDecoder().decode(good.encrypt());
            // In CBC a flipped bit in the next-to-last block flips the same bit of the last plaintext block.
            String tampered = flipBit(good.encrypt(), raw.length - 17);

            assertThatThrownBy(() -> verifySigned(tampered))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("padding")
                    .extracting(e -> ((CallbackRejected) e).httpStatus()).isEqualTo(400);
        }

        @Test
        void tamperedMessageBytesAreBadRequest() {
            // Ciphertext byte 4 flips plaintext byte 20: the '<' that opens the message.
            String tampered = flipBit(good.encrypt(), 4);

            assertThatThrownBy(() -> verifySigned(tampered))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("decrypted message");
        }

        @Test
        void tamperedLengthFieldIsBadRequest() {
            // Ciphertext byte 0 flips plaintext byte 16: the top byte of the message length.
            String tampered = flipBit(good.encrypt(), 0);

            assertThatThrownBy(() -> verifySigned(tampered))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("length");
        }

        @Test
        void truncatedCiphertextIsBadRequest() {
            byte[] raw = Base64.getDecoder().decode(good.encrypt());
            String truncated = Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(raw, raw.length - 16));

            assertThatThrownBy(() -> verifySigned(truncated))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("multiple of 32");
        }

        @Test
        void ciphertextThatIsNotBase64IsBadRequest() {
            assertThatThrownBy(() -> verifySigned("%%%not-base64%%%"))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("Base64");
        }

        @Test
        void anotherAesKeyIsBadRequest() {
            WeComSettings otherKey = new WeComSettings(CORP, SETTINGS.agentId(), SETTINGS.secret(), SETTINGS.token(),
                    "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG", SETTINGS.apiBaseUrl(), SETTINGS.retry());
            EncryptedCallback other = new CallbackEncryptor(otherKey, new Random(1)).encrypt(xml, TS, NONCE);

            assertThatThrownBy(() -> verifier.verify(other.query(), other.body()))
                    .isInstanceOf(CallbackRejected.BadRequest.class);
        }

        @Test
        void anotherCorpIdIsBadRequest() {
            EncryptedCallback other = new CallbackEncryptor(SETTINGS.withCorpId("wwanothercorp0001")).encrypt(xml, TS, NONCE);

            assertThatThrownBy(() -> verifier.verify(other.query(), other.body()))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("corp id 'wwanothercorp0001'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"msg_signature", "timestamp", "nonce"})
        void missingQueryParameterIsBadRequest(String name) {
            Map<String, String> query = new HashMap<>(good.query());
            query.remove(name);

            assertThatThrownBy(() -> verifier.verify(query, good.body()))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("missing query parameter " + name);
        }

        @Test
        void noQueryAtAllIsBadRequest() {
            assertThatThrownBy(() -> verifier.verify(null, good.body())).isInstanceOf(CallbackRejected.BadRequest.class);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "not xml", "<xml><Encrypt>abc</Encrypt>", "<xml><Encrypt>a</Encrypt></xml>trailing<"})
        void malformedBodyIsBadRequest(String body) {
            assertThatThrownBy(() -> verifier.verify(good.query(), body))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("callback body");
        }

        @Test
        void aTimestampMoreThanTenMinutesFromNowIsRefusedAsAReplay() {
            // TS is 2025-06-01T00:00:01Z; the function's clock says 11 minutes later, then 9
            CallbackVerifier at11 = new CallbackVerifier(SETTINGS, java.time.Clock.fixed(T.plusSeconds(661),
                    java.time.ZoneOffset.UTC));
            CallbackVerifier at9 = new CallbackVerifier(SETTINGS, java.time.Clock.fixed(T.plusSeconds(541),
                    java.time.ZoneOffset.UTC));
            CallbackVerifier earlier = new CallbackVerifier(SETTINGS, java.time.Clock.fixed(T.minusSeconds(660),
                    java.time.ZoneOffset.UTC));

            assertThatThrownBy(() -> at11.verify(good.query(), good.body()))
                    .isInstanceOf(CallbackRejected.BadRequest.class).hasMessageContaining("replay refused");
            assertThatThrownBy(() -> earlier.verify(good.query(), good.body()))
                    .isInstanceOf(CallbackRejected.BadRequest.class).hasMessageContaining("replay refused");
            assertThat(at9.verify(good.query(), good.body())).isInstanceOf(WeComEvent.ContactAdded.class);
        }

        @Test
        void theTimestampIsJudgedOnlyOnceItsSignatureHolds() {
            CallbackVerifier late = new CallbackVerifier(SETTINGS, java.time.Clock.fixed(T.plusSeconds(86_400),
                    java.time.ZoneOffset.UTC));
            Map<String, String> query = new HashMap<>(good.query());
            query.put("msg_signature", "da39a3ee5e6b4b0d3255bfef95601890afd80709");

            assertThatThrownBy(() -> late.verify(query, good.body())).isInstanceOf(CallbackRejected.Unauthorized.class);
        }

        @Test
        void theEnvelopeIsReadAsAStream_deepNestingElsewhereInItCostsNoTree() {
            String deep = "<a>".repeat(3_000) + "</a>".repeat(3_000);
            String body = "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName>" + deep
                    + "<Encrypt><![CDATA[" + good.encrypt() + "]]></Encrypt><AgentID></AgentID></xml>";

            assertThat(verifier.verify(good.query(), body)).isInstanceOf(WeComEvent.ContactAdded.class);
        }

        @Test
        void bodyWithoutEncryptIsBadRequest() {
            assertThatThrownBy(() -> verifier.verify(good.query(), "<xml><ToUserName>x</ToUserName></xml>"))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("callback body has no Encrypt element");
        }

        @Test
        void externalEntityInTheBodyIsRefused() {
            String body = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                    + "<xml><Encrypt>&xxe;</Encrypt></xml>";

            assertThatThrownBy(() -> verifier.verify(good.query(), body))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("DOCTYPE")
                    .hasMessageNotContaining("root:");
        }

        @Test
        void externalEntityInsideTheEncryptedMessageIsRefused() {
            String evil = "<?xml version=\"1.0\"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                    + "<xml><CreateTime>1</CreateTime><Event>change_external_contact</Event>"
                    + "<ChangeType>add_external_contact</ChangeType><UserID>&xxe;</UserID>"
                    + "<ExternalUserID>wm1</ExternalUserID></xml>";

            assertThatThrownBy(() -> verifyPlaintext(evil))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("DOCTYPE")
                    .hasMessageNotContaining("root:");
        }

        @Test
        void entityExpansionBombIsRefused() {
            String bomb = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
                    + "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
                    + "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
                    + "<xml><CreateTime>1</CreateTime><MsgType>&lol3;</MsgType></xml>";

            assertThatThrownBy(() -> verifyPlaintext(bomb)).isInstanceOf(CallbackRejected.BadRequest.class);
        }

        @Test
        void malformedMessageIsBadRequest() {
            assertThatThrownBy(() -> verifyPlaintext("<xml><CreateTime>1</CreateTime>"))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessageContaining("decrypted message is not well-formed XML");
        }

        @Test
        void contactChangeWithoutExternalUserIdIsBadRequest() {
            String noExternal = CallbackXml.event(CORP, "sys", "change_external_contact", "add_external_contact",
                    Map.of("UserID", "zhangsan", "State", "s"), T);

            assertThatThrownBy(() -> verifyPlaintext(noExternal))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("change_external_contact/add_external_contact without ExternalUserID");
        }

        @Test
        void contactChangeWithEmptyUserIdIsBadRequest() {
            String emptyUser = CallbackXml.event(CORP, "sys", "change_external_contact", "del_follow_user",
                    Map.of("UserID", "", "ExternalUserID", "wm1"), T);

            assertThatThrownBy(() -> verifyPlaintext(emptyUser))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("change_external_contact/del_follow_user without UserID");
        }

        @Test
        void chatChangesNeedTheirKeys() {
            assertThatThrownBy(() -> verifyPlaintext(CallbackXml.event(CORP, "sys", "change_external_chat", "create", Map.of(), T)))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("change_external_chat/create without ChatId");
            assertThatThrownBy(() -> verifyPlaintext(CallbackXml.event(CORP, "sys", "change_external_chat", "update",
                    Map.of("ChatId", "wr1"), T)))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("change_external_chat/update without UpdateDetail");
            assertThatThrownBy(() -> verifyPlaintext(CallbackXml.event(CORP, "sys", "change_external_chat", "update",
                    Map.of("ChatId", "wr1", "UpdateDetail", "add_member", "JoinScene", "x"), T)))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("JoinScene 'x' is not a number");
        }

        @Test
        void tagChangeNeedsItsId() {
            assertThatThrownBy(() -> verifyPlaintext(CallbackXml.event(CORP, "sys", "change_external_tag", "create",
                    Map.of("TagType", "tag"), T)))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("change_external_tag/create without Id");
        }

        @Test
        void eventWithoutChangeTypeIsBadRequest() {
            assertThatThrownBy(() -> verifyPlaintext(CallbackXml.event(CORP, "sys", "change_external_contact", null,
                    Map.of("UserID", "u", "ExternalUserID", "wm1"), T)))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("change_external_contact without ChangeType");
        }

        @Test
        void createTimeIsRequiredAndNumeric() {
            assertThatThrownBy(() -> verifyPlaintext("<xml><MsgType>event</MsgType><Event>x</Event></xml>"))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("decrypted message without CreateTime");
            assertThatThrownBy(() -> verifyPlaintext("<xml><CreateTime>soon\n</CreateTime><Event>x</Event></xml>"))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("CreateTime 'soon?' is not a number");
        }

        @Test
        void messageWithNeitherEventNorMsgTypeIsBadRequest() {
            assertThatThrownBy(() -> verifyPlaintext("<xml><CreateTime>1</CreateTime></xml>"))
                    .isInstanceOf(CallbackRejected.BadRequest.class)
                    .hasMessage("decrypted message has neither Event nor MsgType");
        }

        private void verifySigned(String encrypt) {
            String signature = encryptor.sign(TS, NONCE, encrypt);
            verifier.verify(signature, TS, NONCE, body(encrypt));
        }

        private void verifyPlaintext(String plaintext) {
            EncryptedCallback callback = encryptor.encrypt(plaintext, TS, NONCE);
            verifier.verify(callback.query(), callback.body());
        }

        private String body(String encrypt) {
            return "<xml><ToUserName><![CDATA[" + CORP + "]]></ToUserName><Encrypt><![CDATA[" + encrypt
                    + "]]></Encrypt><AgentID><![CDATA[]]></AgentID></xml>";
        }

        private String flipBit(String base64, int byteIndex) {
            byte[] raw = Base64.getDecoder().decode(base64);
            raw[byteIndex] ^= 0x01;
            return Base64.getEncoder().encodeToString(raw);
        }
    }

    @Test
    void settingsNeverPrintSecrets() {
        assertThat(SETTINGS.toString()).doesNotContain(SETTINGS.secret(), SETTINGS.token(), SETTINGS.aesKey())
                .contains(CORP);
    }

    @Test
    void aesKeyMustBeWeComsFortyThreeCharacters() {
        assertThatThrownBy(() -> WeComSettings.of(CORP, "s", "t", "tooShort"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("43");
        assertThatThrownBy(() -> WeComSettings.of(CORP, "s", "t", "!!!vJPcJOTT8dbgGEHT7ejKvECAtbfOr5QEo0snJCTY"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Base64");
    }
}
