package dev.siyu.wecom;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.AccessTokenCache;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.WeComStub;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, item 16: every instance used to fetch its own access token (gettoken is rate-limited per
 * corp); with the shared token, many instances make one gettoken call between them.
 */
class SharedAccessTokenTest {
    private static final WeComSettings LOCAL = LocalEnv.settings();

    /** The cache's contract in one synchronized object; DynamoAccessTokenCache is tested against DynamoDB Local. */
    static final class OneItemCache implements AccessTokenCache {
        private Token token;
        private Instant leaseUntil = Instant.MIN;

        @Override
        public synchronized Optional<Token> current() {
            return Optional.ofNullable(token);
        }

        @Override
        public synchronized boolean claimRefresh(Instant now, Instant validUntil, Duration lease) {
            if (leaseUntil.isAfter(now) || (token != null && !token.expiresAt().isBefore(validUntil))) {
                return false;
            }
            leaseUntil = now.plus(lease);
            return true;
        }

        @Override
        public synchronized void publish(Token fresh) {
            if (token == null || token.expiresAt().isBefore(fresh.expiresAt())) {
                token = fresh;
            }
            leaseUntil = Instant.MIN;
        }

        @Override
        public synchronized void discard(String value) {
            if (token != null && token.value().equals(value)) {
                token = new Token(value, Instant.EPOCH);
            }
        }
    }

    private WeComStub stub;
    private final List<WxJavaWeComApi> apis = new ArrayList<>();

    @BeforeEach
    void start() {
        stub = new WeComStub(LOCAL.corpId(), LOCAL.secret()).start(0);
    }

    @AfterEach
    void stop() {
        apis.forEach(WxJavaWeComApi::close);
        stub.close();
    }

    private WxJavaWeComApi instance(AccessTokenCache shared) {
        WxJavaWeComApi api = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()), shared);
        apis.add(api);
        return api;
    }

    private long gettokens() {
        return stub.calls().stream().map(RecordedCall::api).filter("gettoken"::equals).count();
    }

    @Test
    void eightInstancesStartingTogetherFetchOneTokenBetweenThem() throws Exception {
        OneItemCache shared = new OneItemCache();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            WxJavaWeComApi api = instance(shared);
            done.add(pool.submit(() -> api.contact("wmEAST00000000000000000001")));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        assertThat(gettokens()).isEqualTo(1);
        assertThat(stub.calls("externalcontact/get")).hasSize(8);
    }

    @Test
    void instancesSharingTheAgentTicketFetchItOnceBetweenThem() {
        OneItemCache tokens = new OneItemCache();
        OneItemCache tickets = new OneItemCache();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            WxJavaWeComApi api = new WxJavaWeComApi(LOCAL.withApiBaseUrl(stub.baseUrl()), tokens, null, tickets);
            apis.add(api);
            seen.add(api.agentJsapiTicket());
        }

        assertThat(stub.calls("ticket/get")).hasSize(1);
        assertThat(seen).containsOnly(seen.get(0));
        assertThat(tickets.current()).hasValueSatisfying(t -> assertThat(t.value()).isEqualTo(seen.get(0)));
    }

    @Test
    void withoutASharedTicketEachInstanceFetchesItsOwn() {
        for (int i = 0; i < 3; i++) {
            instance(new OneItemCache()).agentJsapiTicket();
        }
        assertThat(stub.calls("ticket/get")).hasSize(3);
    }

    @Test
    void withoutTheSharedTokenEachInstanceFetchesItsOwn() {
        for (int i = 0; i < 3; i++) {
            instance(null).contact("wmEAST00000000000000000001");
        }
        assertThat(gettokens()).isEqualTo(3);
    }

    @Test
    void aTokenWeComRefusesIsReplacedOnceForEveryone() {
        OneItemCache shared = new OneItemCache();
        WxJavaWeComApi a = instance(shared);
        WxJavaWeComApi b = instance(shared);
        a.contact("wmEAST00000000000000000001");
        b.contact("wmEAST00000000000000000001");
        assertThat(gettokens()).isEqualTo(1);

        stub.expireTokens();
        a.contact("wmEAST00000000000000000001");
        b.contact("wmEAST00000000000000000001");

        // a's 42001 discards the shared token and a fetches a new one; b's 42001 finds that one shared
        assertThat(gettokens()).isEqualTo(2);
    }
}
