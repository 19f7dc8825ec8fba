package dev.siyu.core.staff;

import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import java.time.Instant;
import java.util.Objects;

/**
 * Signs a staff member in with the code WeCom's OAuth gave their page: auth/getuserinfo (获取访问用户身份,
 * document/path/91023) names them, and only a member of the corp (a userid, not an outsider's openid) gets a
 * {@link StaffSessions} token. Used by the sidebar and by the Mini Program's staff routes, so both sign staff in
 * the same way and accept each other's sessions.
 */
public final class StaffSignIn {
    /** WeCom's answer to a code that is unknown, used or older than 5 minutes. */
    static final int INVALID_CODE = 40029;

    private final StaffSessions sessions;

    public StaffSignIn(StaffSessions sessions) {
        this.sessions = Objects.requireNonNull(sessions, "sessions");
    }

    /** A signed-in staff member: their token, who they are and until when it holds. */
    public record SignedIn(String token, String userId, Instant expiresAt) { }

    /** Why a code signs nobody in. */
    public static final class Refused extends RuntimeException {
        public enum Why { INVALID_CODE, NOT_STAFF }

        private final Why why;

        Refused(Why why, String message) {
            super(message);
            this.why = why;
        }

        public Why why() {
            return why;
        }
    }

    /**
     * The session for the staff member code names, through wecom (the tenant's WeCom app).
     *
     * @throws Refused INVALID_CODE when WeCom refuses the code, NOT_STAFF when it names someone outside the corp
     * @throws WeComApiException when WeCom fails otherwise (the page may try again with a new code)
     */
    public SignedIn signIn(String tenant, WeComApi wecom, String code) {
        if (code == null || code.isBlank()) {
            throw new Refused(Refused.Why.INVALID_CODE, "code is required");
        }
        WeComApi.OAuthIdentity who;
        try {
            who = wecom.oauthIdentity(code);
        } catch (WeComApiException e) {
            if (e.errcode() == INVALID_CODE) {
                throw new Refused(Refused.Why.INVALID_CODE, "the sign-in code is used or expired");
            }
            throw e;
        }
        if (!who.member()) {
            throw new Refused(Refused.Why.NOT_STAFF, "the code names someone outside the corp, not a staff member");
        }
        String token = sessions.issue(tenant, who.userId());
        return new SignedIn(token, who.userId(), sessions.verify(token).orElseThrow().expiresAt());
    }
}
