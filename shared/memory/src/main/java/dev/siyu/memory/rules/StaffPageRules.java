package dev.siyu.memory.rules;

import dev.siyu.core.port.WeComApi.OAuthIdentity;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * What WeCom checks for an app page opened beside a chat (the staff sidebar): OAuth codes and the agent
 * jsapi_ticket. The local stub and the in-memory API both ask this one class, so the two answer alike.
 * Thread-safe: every method is synchronized.
 */
public final class StaffPageRules {
    /**
     * 获取访问用户身份 (auth/getuserinfo), https://developer.work.weixin.qq.com/document/path/91023: "code只能使用一次，
     * 5分钟未被使用自动过期"; a bad code answers {@code {"errcode": 40029, "errmsg": "invalid code"}}.
     */
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    public static final int INVALID_CODE = 40029;
    /** Same page: "code ... 最大为512字节". */
    public static final int MAX_CODE_BYTES = 512;
    /**
     * 获取应用的jsapi_ticket (ticket/get?type=agent_config), JS-SDK使用权限签名算法,
     * https://developer.work.weixin.qq.com/document/path/90506: the ticket lasts expires_in = 7200 s, and an app
     * may fetch it at most 100 times an hour ("单个应用不能超过100次"); past that WeCom answers 45009 (接口调用超过限制,
     * global error codes, document/path/90313).
     */
    public static final Duration TICKET_LIFETIME = Duration.ofSeconds(7200);
    public static final int MAX_TICKET_FETCHES_PER_HOUR = 100;
    public static final int API_FREQ_OUT_OF_LIMIT = 45009;
    /** ticket/get requires type=agent_config for the app ticket (document/path/90506); 40005: 不合法的type参数. */
    public static final int INVALID_TYPE = 40005;

    private record Issued(OAuthIdentity who, Instant at) { }

    /** A ticket/get answer: the ticket and its expires_in seconds, or WeCom's refusal. */
    public record Ticket(String ticket, long expiresIn, Refusal refusal) { }

    /** An auth/getuserinfo answer: who the code names, or WeCom's refusal. */
    public record Identity(OAuthIdentity who, Refusal refusal) { }

    private final Map<String, Issued> codes = new HashMap<>();
    private final Deque<Instant> ticketFetches = new ArrayDeque<>();
    private String ticket;
    private Instant ticketExpires = Instant.MIN;
    private long seq;

    /** WeCom redirects this staff member's page to {@code ?code=}: the code it gives them. */
    public synchronized String issueCode(String staffUserId, Instant now) {
        String code = "oauth-" + (++seq) + "-" + Integer.toHexString((staffUserId + seq).hashCode());
        codes.put(code, new Issued(new OAuthIdentity(staffUserId, null), now));
        return code;
    }

    /** A code for someone outside the corp (getuserinfo answers an openid, no userid). */
    public synchronized String issueOutsiderCode(String openId, Instant now) {
        String code = "oauth-" + (++seq) + "-outsider";
        codes.put(code, new Issued(new OAuthIdentity(null, openId), now));
        return code;
    }

    /** auth/getuserinfo: the code is used up by this call, whatever it answers. */
    public synchronized Identity redeem(String code, Instant now) {
        if (code == null || code.isBlank() || code.length() > MAX_CODE_BYTES) {
            return new Identity(null, new Refusal(INVALID_CODE, "invalid code"));
        }
        Issued issued = codes.remove(code);
        if (issued == null) {
            return new Identity(null, new Refusal(INVALID_CODE, "invalid code: unknown or already used"));
        }
        if (now.isAfter(issued.at().plus(CODE_LIFETIME))) {
            return new Identity(null, new Refusal(INVALID_CODE, "invalid code: given " + issued.at()
                    + ", valid 5 minutes"));
        }
        return new Identity(issued.who(), null);
    }

    /** ticket/get: the current ticket (a new one once it expired), counted against the hourly limit. */
    public synchronized Ticket agentTicket(String type, Instant now) {
        if (!"agent_config".equals(type)) {
            return new Ticket(null, 0, new Refusal(INVALID_TYPE, "invalid type: expected agent_config"));
        }
        while (!ticketFetches.isEmpty() && !ticketFetches.peekFirst().isAfter(now.minus(Duration.ofHours(1)))) {
            ticketFetches.removeFirst();
        }
        if (ticketFetches.size() >= MAX_TICKET_FETCHES_PER_HOUR) {
            return new Ticket(null, 0, new Refusal(API_FREQ_OUT_OF_LIMIT,
                    "api freq out of limit: " + MAX_TICKET_FETCHES_PER_HOUR + " agent tickets an hour"));
        }
        ticketFetches.addLast(now);
        if (ticket == null || !now.isBefore(ticketExpires)) {
            ticket = "agent-ticket-" + (++seq);
            ticketExpires = now.plus(TICKET_LIFETIME);
        }
        return new Ticket(ticket, Duration.between(now, ticketExpires).toSeconds(), null);
    }

    /** How many times the ticket was fetched in the hour before now (what the limit counts). */
    public synchronized int ticketFetchesInLastHour(Instant now) {
        return (int) ticketFetches.stream().filter(t -> t.isAfter(now.minus(Duration.ofHours(1)))).count();
    }

    /** The ticket WeCom would sign with now; null before the first fetch or after it expired. */
    public synchronized String currentTicket(Instant now) {
        return ticket != null && now.isBefore(ticketExpires) ? ticket : null;
    }

    public synchronized void reset() {
        codes.clear();
        ticketFetches.clear();
        ticket = null;
        ticketExpires = Instant.MIN;
    }
}
