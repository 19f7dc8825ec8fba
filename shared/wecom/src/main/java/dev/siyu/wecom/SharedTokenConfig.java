package dev.siyu.wecom;

import dev.siyu.core.port.AccessTokenCache;
import java.time.Clock;
import me.chanjar.weixin.cp.config.impl.WxCpDefaultConfigImpl;

/**
 * WxJava's token storage backed by shared caches ({@link SharedCredential}): the access token always, and the
 * agent jsapi_ticket (the staff sidebar's {@code wx.agentConfig}) when a cache for it is given, so gettoken and
 * ticket/get (both rate-limited: 100 agent tickets an hour per app, document/path/90506) are called once per
 * lifetime for all instances, not once per cold instance.
 */
final class SharedTokenConfig extends WxCpDefaultConfigImpl {
    private final transient SharedCredential token;
    /** null: each instance keeps its own ticket (WxJava's default). */
    private final transient SharedCredential ticket;

    SharedTokenConfig(AccessTokenCache tokens, Clock clock) {
        this(tokens, null, clock);
    }

    /** @param tickets the shared agent jsapi_ticket; null for an instance's own */
    SharedTokenConfig(AccessTokenCache tokens, AccessTokenCache tickets, Clock clock) {
        this.token = new SharedCredential("access token", tokens, clock, super::isAccessTokenExpired,
                super::updateAccessToken);
        this.ticket = tickets == null ? null : new SharedCredential("agent ticket", tickets, clock,
                super::isAgentJsapiTicketExpired, super::updateAgentJsapiTicket);
    }

    @Override
    public boolean isAccessTokenExpired() {
        return token.expired();
    }

    @Override
    public synchronized void updateAccessToken(String accessToken, int expiresInSeconds) {
        super.updateAccessToken(accessToken, expiresInSeconds);
        token.published(accessToken, expiresInSeconds);
    }

    @Override
    public void expireAccessToken() {
        String refused = getAccessToken();
        super.expireAccessToken();
        token.refused(refused);
    }

    @Override
    public boolean isAgentJsapiTicketExpired() {
        return ticket == null ? super.isAgentJsapiTicketExpired() : ticket.expired();
    }

    @Override
    public synchronized void updateAgentJsapiTicket(String agentJsapiTicket, int expiresInSeconds) {
        super.updateAgentJsapiTicket(agentJsapiTicket, expiresInSeconds);
        if (ticket != null) {
            ticket.published(agentJsapiTicket, expiresInSeconds);
        }
    }

    @Override
    public void expireAgentJsapiTicket() {
        String refused = getAgentJsapiTicket();
        super.expireAgentJsapiTicket();
        if (ticket != null) {
            ticket.refused(refused);
        }
    }
}
