package dev.siyu.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.siyu.core.port.AccessTokenCache.Token;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared WeCom access token on DynamoDB Local: one refresher at a time, newest token wins. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DynamoAccessTokenCacheTest {
    private static final Instant NOW = Instant.parse("2026-03-01T08:00:00Z");
    private static final Duration LEASE = Duration.ofSeconds(10);

    @RegisterExtension
    static final LocalAws aws = new LocalAws();

    private DynamoAccessTokenCache cache(String corp) {
        return new DynamoAccessTokenCache(aws.dynamo(), LocalAws.TABLE, corp, new CapacityMeter());
    }

    @Test
    void twentyInstancesAskingAtOnceGiveTheRefreshToExactlyOne() throws Exception {
        DynamoAccessTokenCache cache = cache("corp-a");
        List<Boolean> won = Concurrently.run(20, i -> cache.claimRefresh(NOW, NOW.plusSeconds(200), LEASE));

        assertThat(won).filteredOn(w -> w).hasSize(1);
        cache.publish(new Token("t-1", NOW.plusSeconds(7200)));
        assertThat(cache.current()).contains(new Token("t-1", NOW.plusSeconds(7200)));
        // a good token is there: nobody refreshes
        assertThat(cache.claimRefresh(NOW.plusSeconds(60), NOW.plusSeconds(260), LEASE)).isFalse();
    }

    @Test
    void aLeaseWhoseHolderDiedRunsOut() {
        DynamoAccessTokenCache cache = cache("corp-b");
        assertThat(cache.claimRefresh(NOW, NOW.plusSeconds(200), LEASE)).isTrue();
        assertThat(cache.claimRefresh(NOW.plusSeconds(5), NOW.plusSeconds(205), LEASE)).isFalse();
        assertThat(cache.claimRefresh(NOW.plusSeconds(11), NOW.plusSeconds(211), LEASE)).isTrue();
    }

    @Test
    void anOlderTokenNeverReplacesANewerOneAndARefusedOneIsNotAdoptedAgain() {
        DynamoAccessTokenCache cache = cache("corp-c");
        cache.publish(new Token("t-new", NOW.plusSeconds(7200)));
        cache.publish(new Token("t-old", NOW.plusSeconds(3600)));
        assertThat(cache.current().map(Token::value)).contains("t-new");

        cache.discard("t-old");
        assertThat(cache.current().map(Token::value)).as("discarding another token changes nothing").contains("t-new");
        cache.discard("t-new");
        assertThat(cache.current().orElseThrow().expiresAt()).isEqualTo(Instant.EPOCH);
        assertThat(cache.claimRefresh(NOW, NOW.plusSeconds(200), LEASE)).isTrue();
    }
}
