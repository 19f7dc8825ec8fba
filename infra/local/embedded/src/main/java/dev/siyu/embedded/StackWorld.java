package dev.siyu.embedded;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.memory.CallLog;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.WeComStub;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.sim.MemberWorld;
import dev.siyu.sim.SimulatedWeChat;
import dev.siyu.stack.miniapp.MiniProgramStub;
import dev.siyu.store.DynamoMemberDetailsStore;
import dev.siyu.store.DynamoPointsLedger;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackEncryptor;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaMiniProgram;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The simulation on the embedded stack: the stub's record is the call log, and callbacks are encrypted
 * and signed as WeCom sends them, then verified, decrypted and parsed by the callback endpoint in front
 * of the engine's processor, as in AWS.
 */
public final class StackWorld {
    private StackWorld() {
    }

    /**
     * What the miniapp-api function is built from on this stack, as MiniappWiring and IngestWiring build it: the
     * points ledger and member details on DynamoDB Local (over customers, the simulation's store), WxJava's Mini
     * Program module pointed at the stack's Mini Program stub, and the sources' secrets and keys of config/local.env.
     */
    public static MemberWorld members(EmbeddedStack stack, LocalEnv env, CustomerStore customers) {
        MiniProgramStub wechat = stack.miniProgram;
        if (wechat == null) {
            throw new IllegalStateException("the demo's members need the stack's Mini Program stub (startInProcess)");
        }
        SimulatedWeChat weChat = new SimulatedWeChat() {
            @Override
            public void loginCodeIssued(String code, String firstCode) {
                wechat.codeIssued(code, firstCode);
            }

            @Override
            public String openidOf(String firstCode) {
                return MiniProgramStub.openidOf(firstCode);
            }

            @Override
            public String unionidOf(String firstCode) {
                return MiniProgramStub.unionidOf(firstCode);
            }

            @Override
            public void contactUnionId(String externalUserId, String unionId) {
                stack.stub.contactUnionId(externalUserId, unionId);
            }

            @Override
            public void subscribed(String openid, String templateId) {
                wechat.subscribed(openid, templateId);
            }

            @Override
            public String staffOAuthCode(String staffUserId) {
                return stack.stub.oauthCode(staffUserId);
            }
        };
        return new MemberWorld(new DynamoPointsLedger(stack.dynamoDb, EmbeddedStack.TABLE, stack.meter, customers),
                new DynamoMemberDetailsStore(stack.dynamoDb, EmbeddedStack.TABLE, stack.meter),
                new WxJavaMiniProgram(env.miniAppId(), env.get("SIYU_MINIAPP_SECRET"), wechat.baseUrl()), weChat,
                Map.of(MemberWorld.POS, bytes(env.get("SIYU_INGEST_SECRET_POS")),
                        MemberWorld.WEBSHOP, bytes(env.get("SIYU_INGEST_SECRET_WEBSHOP"))),
                bytes(env.get("SIYU_MINIAPP_TOKEN_KEY")), bytes(env.get("SIYU_MINIAPP_DATA_KEY")),
                bytes(env.get("SIYU_IDENTITY_HASH_KEY")));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** The stub's record from now on, as the simulation's call log. */
    public static CallLog calls(WeComStub stub) {
        return new StubCalls(stub);
    }

    /** WeCom events become encrypted, signed callbacks through the endpoint, as in AWS. */
    public static Consumer<WeComEvent> delivery(Engine engine, WeComSettings settings) {
        CallbackEndpoint endpoint = new CallbackEndpoint(new CallbackVerifier(settings), engine.callbacks());
        CallbackEncryptor encryptor = new CallbackEncryptor(settings);
        AtomicLong nonce = new AtomicLong();
        return event -> {
            EncryptedCallback c = encryptor.encrypt(xml(settings.corpId(), event),
                    Long.toString(event.createdAt().getEpochSecond()), Long.toString(nonce.incrementAndGet()));
            CallbackEndpoint.Reply reply = endpoint.handle(new CallbackEndpoint.Request("POST", c.query(), c.body(), false));
            if (reply.status() != 200) {
                throw new IllegalStateException("the callback endpoint answered " + reply.status() + " " + reply.body());
            }
        };
    }

    private static String xml(String corp, WeComEvent event) {
        if (event instanceof WeComEvent.ContactAdded e) {
            return CallbackXml.contactAdded(corp, e.staffUserId(), e.externalUserId(), e.state(), e.welcomeCode(),
                    e.createdAt());
        } else if (event instanceof WeComEvent.FollowUserDeleted e) {
            return CallbackXml.followUserDeleted(corp, e.staffUserId(), e.externalUserId(), e.createdAt());
        } else if (event instanceof WeComEvent.ContactDeleted e) {
            return CallbackXml.contactDeleted(corp, e.staffUserId(), e.externalUserId(), e.source(), e.createdAt());
        }
        // The group callbacks (change_external_chat) and the rest: as WeCom writes them.
        return CallbackXml.of(corp, event);
    }

    /** The stub's record, read incrementally. */
    private static final class StubCalls implements CallLog {
        private final WeComStub stub;
        private int seen;

        /** Follows the record from now on: the stack's own set-up calls (applying the blueprint) are not the simulation's. */
        StubCalls(WeComStub stub) {
            this.stub = stub;
            this.seen = stub.calls().size();
        }

        @Override
        public void welcomeCodeIssued(String welcomeCode, java.time.Instant at) {
            stub.welcomeCodeIssued(welcomeCode, at);
        }

        @Override
        public synchronized List<Call> drain() {
            List<RecordedCall> fresh = stub.callsFrom(seen);
            seen += fresh.size();
            List<Call> out = new ArrayList<>();
            for (RecordedCall r : fresh) {
                // Failed calls too: the record shows what WeCom answered, and a touch id that failed
                // first and succeeded on its retry is one delivery, not two.
                if (!r.api().startsWith("gettoken")) {
                    out.add(new Call(r.at(), r.api(), r.body(), r.touchId(), r.errcode()));
                }
            }
            return out;
        }
    }
}
