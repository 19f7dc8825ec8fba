package dev.siyu.wecom;

import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.AccessTokenCache;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;

/**
 * One WeCom credential (the access token, the agent jsapi_ticket) shared by every instance through an
 * {@link AccessTokenCache}: when this instance's copy has expired it adopts the shared one if that is still
 * good; otherwise it either wins the refresh lease (and WxJava fetches a new one, which {@link #published} shares)
 * or waits briefly for the instance that won it. A cache that fails is logged and bypassed: the instance fetches
 * its own, as it would without one.
 *
 * <p>WxJava asks whether the credential expired before every use and again under its lock before fetching; the
 * lease this instance holds answers the second question without another wait.
 */
final class SharedCredential {
    private static final System.Logger LOG = System.getLogger(SharedCredential.class.getName());
    /** WxJava's own margin: a token or ticket is treated as expired 200 s before WeCom's expiry. */
    static final Duration MARGIN = Duration.ofSeconds(200);
    private static final Duration LEASE = Duration.ofSeconds(10);
    /** How long an instance waits for another's refresh before fetching its own. */
    private static final Duration WAIT = Duration.ofSeconds(2);
    private static final long POLL_MILLIS = 100;

    private final String what;
    private final AccessTokenCache cache;
    private final Clock clock;
    private final BooleanSupplier localExpired;
    private final BiConsumer<String, Integer> adoptLocally;
    private volatile Instant leaseUntil = Instant.MIN;

    /**
     * @param what         how logs name it ("access token", "agent ticket")
     * @param localExpired whether this instance's own copy expired (WxJava's check)
     * @param adoptLocally stores a value and its seconds left as this instance's copy, without sharing it again
     */
    SharedCredential(String what, AccessTokenCache cache, Clock clock, BooleanSupplier localExpired,
                     BiConsumer<String, Integer> adoptLocally) {
        this.what = what;
        this.cache = cache;
        this.clock = clock;
        this.localExpired = localExpired;
        this.adoptLocally = adoptLocally;
    }

    /** WxJava's "is it expired?": false once a good shared copy was adopted; true when this instance must fetch. */
    boolean expired() {
        if (!localExpired.getAsBoolean()) {
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
            LOG.log(Level.WARNING, JsonLog.line("shared " + what + " unavailable; fetching this instance's own",
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
        return true;
    }

    /** Takes the shared copy when it is good for longer than the margin. */
    private boolean adopt(Instant now) {
        Optional<AccessTokenCache.Token> shared = cache.current();
        if (shared.isEmpty() || !shared.get().expiresAt().minus(MARGIN).isAfter(now)) {
            return false;
        }
        // WxJava's update takes seconds from now and subtracts the same 200 s margin again
        adoptLocally.accept(shared.get().value(), (int) Duration.between(now, shared.get().expiresAt()).toSeconds());
        return true;
    }

    /** This instance fetched a new value (already its own copy): share it and end the refresh lease. */
    void published(String value, int expiresInSeconds) {
        leaseUntil = Instant.MIN;
        try {
            cache.publish(new AccessTokenCache.Token(value, clock.instant().plusSeconds(expiresInSeconds)));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line(what + " not shared; other instances fetch their own",
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
    }

    /** WeCom refused this value: no instance should adopt it again. */
    void refused(String value) {
        if (value == null) {
            return;
        }
        try {
            cache.discard(value);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line("refused " + what + " still shared; it expires on its own",
                    "error", e.getClass().getSimpleName(), "reason", String.valueOf(e.getMessage())));
        }
    }
}
