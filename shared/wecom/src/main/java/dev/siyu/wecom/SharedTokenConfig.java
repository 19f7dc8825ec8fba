package dev.siyu.wecom;

import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.AccessTokenCache;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/**
 * WxJava's token storage backed by the shared {@link AccessTokenCache}: when this instance's copy has
 * expired, it adopts the shared token if that is still good; otherwise it either wins the refresh lease
 * (and WxJava calls {@code gettoken}, whose answer is published for the others) or waits briefly for the
 * instance that won it. A cache that fails is logged and bypassed: the instance fetches its own token.
 *
 * <p>WxJava asks {@link #isAccessTokenExpired()} before every call and again under its lock before
 * {@code gettoken}; the lease this instance holds answers the second question without another wait.
 */
final class SharedTokenConfig extends WxCpDefaultConfigImpl {
    private static final System.Logger LOG = System.getLogger(SharedTokenConfig.class.getName());
    /** WxJava's own margin: a token is treated as expired 200 s before WeCom's expiry. */
    private static final Duration MARGIN = Duration.ofSeconds(200);
    private static final Duration LEASE = Duration.ofSeconds(10);
    /** How long an instance waits for another's refresh before fetching a token itself. */
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 100;

    private final transient AccessTokenCache cache;
    private final transient Clock clock;
    private volatile Instant leaseUntil = Instant.MIN;

    SharedTokenConfig(AccessTokenCache cache, Clock clock) {
        this.cache = cache;
        this.clock = clock;
    }

    @Override
    public boolean isAccessTokenExpired() {
        if (!super.isAccessTokenExpired()) {
            return false;
        }
        Instant now = clock.instant();
        if (now.isBefore(leaseUntil)) {
            return true;
        }
        try {
            if (adopt(now)) {
                return false;
            }
            if (cache.claimRefresh(now, now.plus(MARGIN), LEASE)) {
                leaseUntil = now.plus(LEASE);
                return true;
            }
            Instant giveUp = now.plus(WAIT);
            while (clock.instant().isBefore(giveUp)) {
                Thread.sleep(POLL_MILLIS);
                if (adopt(clock.instant())) {
                    return false;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line("shared access token unavailable; fetching this instance's own",
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
        return true;
    }

    /** Takes the shared token when it is good for longer than the margin. */
    private boolean adopt(Instant now) {
        Optional<AccessTokenCache.Token> shared = cache.current();
        if (shared.isEmpty() || !shared.get().expiresAt().minus(MARGIN).isAfter(now)) {
            return false;
        }
        // super's update takes seconds from now and subtracts the same 200 s margin again
        super.updateAccessToken(shared.get().value(), (int) Duration.between(now, shared.get().expiresAt()).toSeconds());
        return true;
    }

    @Override
    public synchronized void updateAccessToken(String accessToken, int expiresInSeconds) {
        super.updateAccessToken(accessToken, expiresInSeconds);
        leaseUntil = Instant.MIN;
        try {
            cache.publish(new AccessTokenCache.Token(accessToken, clock.instant().plusSeconds(expiresInSeconds)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line("access token not shared; other instances fetch their own",
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
    }

    @Override
    public void expireAccessToken() {
        String refused = getAccessToken();
        super.expireAccessToken();
        if (refused == null) {
            return;
        }
        try {
            cache.discard(refused);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line("refused access token still shared; it expires on its own",
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
    }
}
