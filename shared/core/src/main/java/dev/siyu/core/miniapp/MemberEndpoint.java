package dev.siyu.core.miniapp;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.ingest.BadInput;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.member.Identity;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.IdentityResolver;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.IdentityType;
import dev.siyu.core.profile.TimelineEvent;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP face of the Mini Program's member routes ({@code /miniapp/*}), however the request arrives. In
 * order: size, route, the member's session token (every route but login), the body's fields, then the write.
 * The member a route reads or changes is only ever the token's customer (followed to the survivor when merged),
 * never one named in the request, so a token reaches nothing of another member or tenant. Refusals: 400 naming
 * the field (nothing written), 401 for a missing or bad token or login code, 404 for no such route or thing,
 * 409 for a redemption refused (points short, perk policy). Logs name customers and fields, never values.
 */
public final class MemberEndpoint {
    public static final String PREFIX = "/miniapp/";
    /** A profile edit is well under 2 KB; anything much larger is refused before it is parsed. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final String CHANNEL = "miniapp";
    private static final System.Logger LOG = System.getLogger(MemberEndpoint.class.getName());

    private final Supplier<MemberServices> members;
    private final MemberDetailsStore details;
    private final MiniProgram wechat;
    private final SessionTokens tokens;
    private final MemberCodes codes;
    private final ProfileRoutes profiles;
    private final MembershipRoutes membership;
    private final EngagementRoutes engagement;
    private final SubscriptionRoutes subscriptions = new SubscriptionRoutes();
    private final ObjectMapper json = new ObjectMapper();

    /** members is asked per request: a function follows the tenant's current blueprint. */
    public MemberEndpoint(Supplier<MemberServices> members, MemberDetailsStore details, MiniProgram wechat,
                          SessionTokens tokens, PhoneSeal phones, IdentityKeys keys, MemberCodes codes) {
        this.members = members;
        this.codes = codes;
        this.details = details;
        this.wechat = wechat;
        this.tokens = tokens;
        this.profiles = new ProfileRoutes(details, wechat, phones, keys);
        this.membership = new MembershipRoutes(details);
        this.engagement = new EngagementRoutes(details);
    }

    /** One signed-in member's request: who, on which services, at which moment. */
    record Member(MemberServices services, String tenant, String customerId, String openid, Instant now) {
        CustomerProfile profile() {
            return services.engine().ports().customers().profile(tenant, customerId)
                    .orElseThrow(() -> new IllegalStateException("the member's profile is gone"));
        }
    }

    public Reply handle(dev.siyu.core.http.HttpRequest request) {
        String path = request.path() == null ? "" : request.path();
        if (!path.startsWith(PREFIX)) {
            return error(404, "path", "no route " + path);
        }
        byte[] body;
        try {
            body = request.bodyBytes();
        } catch (IllegalArgumentException e) {
            return error(400, "body", "is marked base64 but is not valid base64");
        }
        if (body.length > MAX_BODY_BYTES) {
            return error(400, "body", "is " + body.length + " bytes, over the " + MAX_BODY_BYTES + " byte limit");
        }
        String method = request.method() == null ? "GET" : request.method().toUpperCase(java.util.Locale.ROOT);
        List<String> segments = List.of(path.substring(PREFIX.length()).split("/", -1));
        MemberServices m = members.get();
        Instant now = m.engine().clock().instant();
        try {
            if (segments.equals(List.of("login"))) {
                return "POST".equals(method) ? login(m, MemberInput.of(body), now) : notAllowed();
            }
            Optional<Member> member = authenticate(m, request, now);
            if (member.isEmpty()) {
                return error(401, "authorization", "must be 'Bearer <token>' with a token from POST /miniapp/login");
            }
            Optional<Reply> reply = route(member.get(), method, segments, request, body);
            return reply.orElseGet(() -> error(404, "path", "no route " + method + " " + path));
        } catch (BadInput bad) {
            LOG.log(Level.INFO, JsonLog.line("miniapp request refused", "path", path, "field", bad.field()));
            return error(400, bad.field(), bad.reason());
        } catch (MiniProgramRefusal refused) {
            LOG.log(Level.INFO, JsonLog.line("wechat refused", "path", path, "errcode", refused.errcode()));
            return error(refused.errcode() == 40029 || refused.errcode() == 40163 || refused.errcode() == 40226
                    ? 401 : 400, "code", "was refused by WeChat (errcode " + refused.errcode() + ")");
        } catch (RuntimeException failed) {
            // Every write is idempotent or conditional: the member's retry finishes what this attempt began.
            LOG.log(Level.ERROR, JsonLog.line("miniapp request failed", "path", path,
                    "error", failed.getClass().getName()), failed);
            return error(500, "server", "temporarily unable to answer; try again");
        }
    }

    private Optional<Reply> route(Member m, String method, List<String> s, dev.siyu.core.http.HttpRequest r, byte[] body) {
        String first = s.get(0);
        return switch (first) {
            case "me" -> profiles.route(m, method, s, body);
            case "points", "membership", "rewards", "challenges", "orders" -> membership.route(m, method, s, r.query(),
                    body);
            case "consents", "events", "notifications" -> engagement.route(m, method, s, r.query(), body);
            case "subscriptions" -> subscriptions.route(m, method, s, body);
            case "member-code" -> s.size() == 1 && "GET".equals(method) ? Optional.of(memberCode(m)) : Optional.empty();
            default -> Optional.empty();
        };
    }

    /** jscode2session -> the customer with that openid or unionid (created when new) -> a session token. */
    private Reply login(MemberServices m, MemberInput in, Instant now) {
        in.only(Set.of("code"));
        String code = in.required("code", 128);
        if (!code.matches("[A-Za-z0-9_-]{1,128}")) {
            throw new BadInput("code", "must be the code wx.login gave (letters, digits, '-' and '_')");
        }
        MiniProgram.Session session = wechat.session(code);
        List<Identity> ids = new ArrayList<>();
        ids.add(new Identity(IdentityType.OPENID, session.openid(), session.openid()));
        if (session.unionid() != null && !session.unionid().isBlank()) {
            ids.add(new Identity(IdentityType.UNIONID, session.unionid(), session.unionid()));
        }
        String tenant = m.tenant();
        IdentityResolver.Resolution who = m.identities().resolve(tenant, ids, true, CHANNEL, now);
        if (who.customerId().isEmpty()) {
            return error(403, "code", "this WeChat account cannot be linked to a member ("
                    + String.join(", ", who.refused()) + ")");
        }
        String customerId = who.customerId().get();
        who.fresh().ifPresent(fresh -> m.engine().ports().customers().upsert(tenant, customerId, fresh, p -> null,
                List.of(new TimelineEvent("miniapp-joined-" + customerId, now, "miniapp_joined", null,
                        Map.of("channel", CHANNEL)))));
        LOG.log(Level.INFO, JsonLog.line("member signed in", "tenant", tenant, "customer", customerId,
                "created", who.created()));
        ObjectNode out = json.createObjectNode();
        out.put("token", tokens.issue(tenant, customerId, session.openid(), now));
        out.put("expires_in", tokens.lifetime().toSeconds());
        out.put("customer_id", customerId);
        return new Reply(200, out.toString());
    }

    /** The member's code for this minute and its QR PNG (base64), shown at the till for check-in. */
    private Reply memberCode(Member m) {
        MemberCodes.Code c = codes.current(m.tenant(), m.customerId(), m.now());
        ObjectNode out = json.createObjectNode();
        out.put("code", c.code());
        out.put("expires_at", c.expiresAt().toString());
        out.put("qr_png_base64", Base64.getEncoder().encodeToString(MemberCodes.qrPng(c.code(), 6)));
        return new Reply(200, out.toString());
    }

    private Optional<Member> authenticate(MemberServices m, dev.siyu.core.http.HttpRequest r, Instant now) {
        String auth = r.header("authorization").orElse("");
        if (!auth.startsWith("Bearer ")) {
            return Optional.empty();
        }
        Optional<SessionTokens.Claims> claims = tokens.verify(auth.substring("Bearer ".length()), m.tenant(), now);
        if (claims.isEmpty()) {
            return Optional.empty();
        }
        // A merge since the login moved the member onto the survivor: follow it, as the identities do.
        return m.engine().ports().customers().survivor(m.tenant(), claims.get().customerId())
                .map(customer -> new Member(m, m.tenant(), customer, claims.get().openid(), now));
    }

    private Reply notAllowed() {
        return error(405, "method", "is not allowed on this route");
    }

    static Reply error(int status, String field, String message) {
        return new Reply(status, errorNode(status, field, message).toString());
    }

    static ObjectNode errorNode(int status, String field, String message) {
        ObjectNode out = new ObjectMapper().createObjectNode();
        out.put("error", switch (status) {
            case 400 -> "bad_request";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 409 -> "refused";
            default -> "server_error";
        });
        out.put("field", field);
        out.put("message", field + " " + message);
        return out;
    }

    public record Reply(int status, String body) { }
}
