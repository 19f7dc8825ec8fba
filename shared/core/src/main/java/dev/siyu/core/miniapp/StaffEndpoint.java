package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.core.staff.StaffSignIn;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Mini Program's staff routes ({@code /miniapp/staff/*}): a staff member signs in with WeCom's OAuth (the same
 * {@link StaffSignIn} and {@link StaffSessions} as the sidebar, so a sidebar session works here too) and checks
 * members in at a store by scanning their member code. A member's token is no staff session: 401. Errors have the
 * member routes' shape ({@code error}, {@code field}, {@code message}); bad input is refused before any write.
 */
public final class StaffEndpoint {
    public static final String PREFIX = MemberEndpoint.PREFIX + "staff/";
    private static final System.Logger LOG = System.getLogger(StaffEndpoint.class.getName());
    /** WeCom's OAuth codes are at most 512 bytes. */
    private static final int MAX_CODE = 512;

    private final Supplier<MemberServices> members;
    private final StaffSessions sessions;
    private final StaffSignIn signIn;
    private final StoreCheckIn checkIn;
    private final ObjectMapper json = new ObjectMapper();

    /** members is asked per request: a function follows the tenant's current blueprint (its stores). */
    public StaffEndpoint(Supplier<MemberServices> members, StaffSessions sessions, MemberCodes codes) {
        this.members = members;
        this.sessions = sessions;
        this.signIn = new StaffSignIn(sessions);
        this.checkIn = new StoreCheckIn(codes);
    }

    public MemberEndpoint.Reply handle(dev.siyu.core.http.HttpRequest request) {
        String path = request.path() == null ? "" : request.path();
        String method = request.method() == null ? "GET" : request.method().toUpperCase(Locale.ROOT);
        String route = path.startsWith(PREFIX) ? path.substring(PREFIX.length()) : "";
        if (!route.equals("session") && !route.equals("check-in")) {
            return MemberEndpoint.error(404, "path", "no route " + path);
        }
        if (!"POST".equals(method)) {
            return MemberEndpoint.error(405, "method", "is not allowed on this route");
        }
        MemberServices m = members.get();
        Instant now = m.engine().clock().instant();
        byte[] body;
        try {
            body = request.bodyBytes();
        } catch (IllegalArgumentException e) {
            return MemberEndpoint.error(400, "body", "is marked base64 but is not valid base64");
        }
        try {
            if (body.length > MemberEndpoint.MAX_BODY_BYTES) {
                return MemberEndpoint.error(400, "body", "is " + body.length + " bytes, over the "
                        + MemberEndpoint.MAX_BODY_BYTES + " byte limit");
            }
            if (route.equals("session")) {
                return session(m, MemberInput.of(body));
            }
            Optional<StaffSessions.Session> staff = staff(request, m.tenant());
            if (staff.isEmpty()) {
                return MemberEndpoint.error(401, "authorization", "must be 'Bearer <token>' with a staff token from "
                        + "POST /miniapp/staff/session (a member's token is not one)");
            }
            return checkIn(m, staff.get().staffUserId(), MemberInput.of(body), now);
        } catch (BadInput bad) {
            LOG.log(Level.INFO, JsonLog.line("staff request refused", "path", path, "field", bad.field()));
            return MemberEndpoint.error(400, bad.field(), bad.reason());
        } catch (StaffSignIn.Refused refused) {
            LOG.log(Level.INFO, JsonLog.line("staff sign-in refused", "why", refused.why().name()));
            return refused.why() == StaffSignIn.Refused.Why.NOT_STAFF
                    ? MemberEndpoint.error(403, "code", "names someone outside the corp: these routes are for staff")
                    : MemberEndpoint.error(401, "code", "was refused by WeCom (used, expired or unknown)");
        } catch (WeComApiException e) {
            LOG.log(Level.WARNING, JsonLog.line("staff sign-in: WeCom failed", "errcode", e.errcode()));
            return MemberEndpoint.error(502, "code", "could not be checked with WeCom (errcode " + e.errcode()
                    + "); try again");
        } catch (RuntimeException failed) {
            // The visit is idempotent by its code: the scanner's retry finishes what this attempt began.
            LOG.log(Level.ERROR, JsonLog.line("staff request failed", "path", path,
                    "error", failed.getClass().getName()), failed);
            return MemberEndpoint.error(500, "server", "temporarily unable to answer; try again");
        }
    }

    /** POST /miniapp/staff/session {code}: auth/getuserinfo -> a staff session token. */
    private MemberEndpoint.Reply session(MemberServices m, MemberInput in) {
        in.only(Set.of("code"));
        String code = in.required("code", MAX_CODE);
        StaffSignIn.SignedIn who = signIn.signIn(m.tenant(), m.engine().ports().wecom(), code);
        LOG.log(Level.INFO, JsonLog.line("staff signed in", "tenant", m.tenant(), "staff", who.userId()));
        ObjectNode out = json.createObjectNode();
        out.put("token", who.token());
        out.put("userid", who.userId());
        out.put("expires_in", Math.max(0, who.expiresAt().getEpochSecond() - m.engine().clock().instant()
                .getEpochSecond()));
        return new MemberEndpoint.Reply(200, out.toString());
    }

    /** POST /miniapp/staff/check-in {member_code, store}: the visit, once per code. */
    private MemberEndpoint.Reply checkIn(MemberServices m, String staff, MemberInput in, Instant now) {
        in.only(Set.of("member_code", "store"));
        String code = in.required("member_code", 200);
        String store = in.required("store", 64);
        StoreCheckIn.Visit v = checkIn.checkIn(m, staff, code, store, now);
        ObjectNode out = json.createObjectNode();
        out.put("customer_id", v.customerId());
        out.put("name", v.name());
        out.put("tier", v.tier());
        out.put("points", v.points());
        out.put("visited_at", v.visitedAt().toString());
        out.put("first_visit_today", v.firstVisitToday());
        return new MemberEndpoint.Reply(200, out.toString());
    }

    private Optional<StaffSessions.Session> staff(dev.siyu.core.http.HttpRequest r, String tenant) {
        String auth = r.header("authorization").orElse("");
        if (!auth.startsWith("Bearer ")) {
            return Optional.empty();
        }
        return sessions.verify(auth.substring("Bearer ".length())).filter(s -> tenant.equals(s.tenant()));
    }
}
