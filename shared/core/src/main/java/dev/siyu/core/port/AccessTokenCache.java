package dev.siyu.core.port;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * One WeCom access token shared by every instance of every function, so {@code gettoken} (rate-limited
 * per corp) is called once per token lifetime instead of once per cold instance. One instance refreshes it,
 * having won a short refresh lease with a conditional write; the others read what it published. Correctness
 * never depends on the cache: an instance that cannot read it fetches its own token, as before.
 */
public interface AccessTokenCache {
    /** @param expiresAt when WeCom said it expires (issued at + expires_in) */
    record Token(String value, Instant expiresAt) {
    }

    /** The token last published, expired or not; empty if none. */
    Optional<Token> current();

    /**
     * True for exactly one caller at a time while no token valid beyond {@code validUntil} is published and
     * no other caller's lease is live: that caller fetches a new token and {@link #publish}es it.
     */
    boolean claimRefresh(Instant now, Instant validUntil, Duration lease);

    /** Publishes a fetched token unless a later-expiring one is already there; ends the refresh lease. */
    void publish(Token token);

    /** WeCom refused this token (40014, 42001): no instance should adopt it again. Ignored if another replaced it. */
    void discard(String value);
}
