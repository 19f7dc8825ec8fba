package dev.siyu.sidebar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.config.ScriptLibrary;
import dev.siyu.core.config.TagSystem;
import dev.siyu.core.desk.DeskRefused;
import dev.siyu.core.desk.DeskTask;
import dev.siyu.core.desk.StaffDesk;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.sidebar.CustomerCard;
import dev.siyu.core.sidebar.SidebarRefused;
import dev.siyu.core.sidebar.StaffSidebar;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.core.staff.StaffSignIn;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The HTTP face of the staff sidebar, independent of how a request arrives (an API Gateway payload 2.0 event in
 * the function, the local gateway, a test's loopback server): the page's static files under {@code /sidebar/},
 * and its JSON routes under {@code /sidebar/api/}. Every JSON route but the session one requires the session
 * token ({@code Authorization: Bearer}); a staff member reaches only customers they are an active contact of.
 * docs/sidebar.md lists the routes.
 */
public final class SidebarEndpoint {
    public static final String PREFIX = "/sidebar";
    /**
     * The page's address: a file under {@code /sidebar/} (the HTTP API's {@code GET /sidebar/{proxy+}} route), so its
     * relative links (api/, app.js) resolve under /sidebar/ whatever the gateway makes of a trailing slash.
     */
    public static final String PAGE = PREFIX + "/index.html";
    public static final String API = PREFIX + "/api/";
    /** A sidebar request is a small JSON object; anything bigger is not ours. */
    public static final int MAX_BODY_BYTES = 16 * 1024;
    /** The JS-SDK calls the page makes, which wx.agentConfig must list. */
    public static final List<String> JS_API_LIST = List.of("getCurExternalContact", "sendChatMessage");
    private static final System.Logger LOG = System.getLogger(SidebarEndpoint.class.getName());
    private static final String JSON = "application/json; charset=utf-8";

    /** The WeCom app the page belongs to: what wx.agentConfig names. */
    public record App(String corpId, int agentId) {
        public App {
            Objects.requireNonNull(corpId, "corpId");
        }
    }

    /** An HTTP request; header names in any case; base64 is API Gateway's isBase64Encoded. */
    public record Request(String method, String path, Map<String, String> query, Map<String, String> headers,
                          String body, boolean base64) {
        public Request {
            query = query == null ? Map.of() : Map.copyOf(query);
            Map<String, String> lower = new LinkedHashMap<>();
            if (headers != null) {
                headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
            }
            headers = Map.copyOf(lower);
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    public record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {
        public Reply {
            headers = Map.copyOf(headers);
        }

        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** Content-Type and the reply's own headers, for an HTTP response. */
        public Map<String, String> allHeaders() {
            Map<String, String> all = new LinkedHashMap<>(headers);
            all.put("Content-Type", contentType);
            return all;
        }
    }

    private final Supplier<Engine> engines;
    private final StaffSessions tokens;
    private final App app;
    private final Clock clock;
    private final StaffSignIn signIn;
    private final AgentConfigSigner signer = new AgentConfigSigner();
    private final StaticFiles files = new StaticFiles();
    private final ObjectMapper json = new ObjectMapper();

    /** @param engines the engine on the tenant's current config, asked per request (TenantEngines#current) */
    public SidebarEndpoint(Supplier<Engine> engines, StaffSessions tokens, App app, Clock clock) {
        this.engines = Objects.requireNonNull(engines, "engines");
        this.tokens = Objects.requireNonNull(tokens, "tokens");
        this.signIn = new StaffSignIn(tokens);
        this.app = Objects.requireNonNull(app, "app");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Reply handle(Request request) {
        String path = request.path() == null ? "" : request.path();
        String method = request.method() == null ? "GET" : request.method().toUpperCase(Locale.ROOT);
        try {
            if (path.equals(PREFIX) || path.equals(PREFIX + "/")) {
                // WeCom's OAuth redirect keeps the query (?code=&state=): so does this one.
                return new Reply(302, "text/plain; charset=utf-8", new byte[0],
                        Map.of("Location", PAGE + queryString(request.query()), "Cache-Control", "no-store"));
            }
            if (!path.startsWith(API)) {
                return page(method, path);
            }
            String route = path.substring(API.length());
            JsonNode body = body(request, method);
            if ("POST".equals(method) && "session".equals(route)) {
                return session(body);
            }
            StaffSessions.Session session = session(request);
            Engine engine = engines.get();
            if (!engine.config().tenant().equals(session.tenant())) {
                return error(401, "session_invalid", "this session belongs to another tenant; open the page again");
            }
            StaffSidebar sidebar = engine.staffSidebar();
            String staff = session.staffUserId();
            if ("POST".equals(method) && "agent-config".equals(route)) {
                return agentConfig(engine, text(body, "url"));
            }
            if ("GET".equals(method) && "customer".equals(route)) {
                return ok(card(engine, sidebar, staff, request.query().get("external_userid")));
            }
            if ("GET".equals(method) && "scripts".equals(route)) {
                return ok(scripts(sidebar, request.query().get("scenario"), request.query().get("q")));
            }
            if ("POST".equals(method) && "tags".equals(route)) {
                String external = text(body, "external_userid");
                sidebar.editTags(staff, external, strings(body, "add"), strings(body, "remove"),
                        text(body, "request_id"));
                LOG.log(Level.INFO, JsonLog.line("sidebar tags edited", "staff", staff, "add", strings(body, "add"),
                        "remove", strings(body, "remove")));
                return ok(card(engine, sidebar, staff, external));
            }
            if ("POST".equals(method) && "marks".equals(route)) {
                StaffSidebar.Mark mark = StaffSidebar.Mark.parse(text(body, "mark"));
                sidebar.mark(staff, text(body, "external_userid"), mark, text(body, "request_id"));
                LOG.log(Level.INFO, JsonLog.line("sidebar mark", "staff", staff, "mark", mark.kind()));
                return ok(json.createObjectNode().put("marked", mark.kind()));
            }
            if ("POST".equals(method) && route.startsWith("tasks/")) {
                return closeTask(engine, staff, route.substring("tasks/".length()));
            }
            return error(404, "not_found", "no route " + method + " " + path);
        } catch (Unauthorized e) {
            return error(401, "session_required", e.getMessage());
        } catch (SidebarRefused e) {
            return switch (e.reason()) {
                case BAD_REQUEST -> error(400, "bad_request", e.getMessage());
                case NOT_YOUR_CUSTOMER -> error(403, "not_your_customer", e.getMessage());
                case NOT_FOUND -> error(404, "not_found", e.getMessage());
                case IN_PROGRESS -> error(409, "in_progress", e.getMessage());
            };
        } catch (DeskRefused e) {
            return switch (e.why()) {
                case NOT_FOUND -> error(404, "not_found", e.getMessage());
                case NOT_YOURS -> error(403, "not_your_task", e.getMessage());
                case CLOSED -> error(409, "task_closed", e.getMessage());
                case RED_LINE -> error(409, "red_line", e.getMessage());
            };
        } catch (WeComApiException e) {
            LOG.log(Level.WARNING, JsonLog.line("sidebar: WeCom refused", "path", path, "errcode", e.errcode(),
                    "reason", String.valueOf(e.getMessage())));
            return error(502, "wecom_error", "WeCom answered errcode " + e.errcode() + "; try again");
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, JsonLog.line("sidebar request failed", "path", path, "error", e.toString()), e);
            return error(500, "internal", "the sidebar could not do that; try again");
        }
    }

    // ---- the page ----

    private Reply page(String method, String path) {
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            return error(405, "method_not_allowed", method + " " + path);
        }
        String name = path.startsWith(PREFIX + "/") ? path.substring(PREFIX.length() + 1) : null;
        Optional<StaticFiles.File> file = name == null ? Optional.empty() : files.get(name);
        if (file.isEmpty()) {
            return error(404, "not_found", "no page " + path);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        // The page carries a one-time OAuth code in its URL and shows customer data: never cached, never framed
        // by another site, its scripts only ours and WeCom's JS-SDK.
        headers.put("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        if (name.endsWith(".html")) {
            headers.put("Content-Security-Policy", "default-src 'self'; script-src 'self' https://open.work.weixin.qq.com "
                    + "https://res.wx.qq.com; img-src 'self' https: data:; style-src 'self'; connect-src 'self'; "
                    + "base-uri 'none'; form-action 'none'");
        }
        return new Reply(200, file.get().contentType(), file.get().bytes(), headers);
    }

    // ---- routes ----

    /** POST /sidebar/api/session {code}: WeCom's OAuth code -> the staff member -> our session token. */
    private Reply session(JsonNode body) {
        String code = text(body, "code");
        Engine engine = engines.get();
        String tenant = engine.config().tenant();
        StaffSignIn.SignedIn who;
        try {
            who = signIn.signIn(tenant, engine.ports().wecom(), code);
        } catch (StaffSignIn.Refused e) {
            return e.why() == StaffSignIn.Refused.Why.NOT_STAFF
                    ? error(403, "not_staff", "the sidebar is for the brand's staff")
                    : error(401, "invalid_code", "the sign-in code is used or expired; open the sidebar again");
        }
        LOG.log(Level.INFO, JsonLog.line("sidebar session", "tenant", tenant, "staff", who.userId()));
        ObjectNode out = json.createObjectNode().put("token", who.token()).put("staff_user_id", who.userId())
                .put("expires_at", who.expiresAt().toString());
        engine.config().staffMember(who.userId()).ifPresent(s -> out.put("staff_name", s.name()));
        return ok(out);
    }

    /** POST /sidebar/api/agent-config {url}: what wx.agentConfig needs for the page at url. */
    private Reply agentConfig(Engine engine, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "url is not a URL");
        }
        // Only the sidebar's own page is signed: the ticket must not sign pages of other sites.
        if (uri.getScheme() == null || !uri.getScheme().startsWith("http") || uri.getPath() == null
                || !uri.getPath().startsWith(PREFIX)) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "url must be the sidebar page's address");
        }
        String ticket = engine.ports().wecom().agentJsapiTicket();
        AgentConfigSigner.AgentConfig c = signer.sign(app.corpId(), app.agentId(), ticket, url,
                clock.instant().getEpochSecond());
        ObjectNode out = json.createObjectNode().put("corpid", c.corpId()).put("agentid", c.agentId())
                .put("timestamp", c.timestamp()).put("nonceStr", c.nonceStr()).put("signature", c.signature());
        JS_API_LIST.forEach(out.putArray("jsApiList")::add);
        return ok(out);
    }

    private ObjectNode card(Engine engine, StaffSidebar sidebar, String staff, String externalUserId) {
        CustomerCard c = sidebar.customer(staff, externalUserId);
        ObjectNode out = json.createObjectNode();
        out.put("customer_id", c.customerId()).put("external_userid", c.externalUserId()).put("name", c.name())
                .put("avatar", c.avatar()).put("channel", c.channelName()).put("stage", c.stage())
                .put("total_spend", c.totalSpend()).put("order_count", c.orderCount())
                .put("consent_withdrawn", c.consentWithdrawn());
        putTime(out, "contact_since", c.contactSince());
        putTime(out, "last_interaction_at", c.lastInteractionAt());
        putTime(out, "first_reply_at", c.firstReplyAt());
        c.tags().forEach(out.putArray("tags")::add);
        c.groups().forEach(out.putArray("groups")::add);
        ArrayNode catalog = out.putArray("tag_catalog");
        for (TagSystem.TagDimension d : c.tagCatalog()) {
            ObjectNode dim = catalog.addObject().put("name", d.name());
            d.tags().forEach(dim.putArray("tags")::add);
        }
        ArrayNode recent = out.putArray("timeline");
        for (CustomerCard.Moment m : c.recent()) {
            ObjectNode e = recent.addObject().put("at", m.at().toString()).put("kind", m.kind())
                    .put("staff", m.staffUserId());
            ObjectNode d = e.putObject("details");
            new java.util.TreeMap<>(m.details()).forEach(d::put);
        }
        ArrayNode tasks = out.putArray("tasks");
        for (DeskTask t : engine.staffDesk().open(engine.config().tenant(), staff, c.customerId(), clock.instant())) {
            ObjectNode task = tasks.addObject().put("id", t.id()).put("kind", t.kind()).put("title", t.title())
                    .put("text", t.text());
            ArrayNode attachments = task.putArray("attachments");
            t.attachments().forEach(a -> attachments.add(a.kind() + ": " + (a.title() == null ? a.url() : a.title())));
            putTime(task, "created_at", t.createdAt());
            putTime(task, "expires_at", t.expiresAt());
        }
        sidebar.scenarios().forEach(out.putArray("scenarios")::add);
        return out;
    }

    private ObjectNode scripts(StaffSidebar sidebar, String scenario, String query) {
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("scripts");
        for (ScriptLibrary.Script s : sidebar.scripts(scenario, query)) {
            list.addObject().put("scenario", s.scenario()).put("title", s.title()).put("text", s.text());
        }
        sidebar.scenarios().forEach(out.putArray("scenarios")::add);
        return out;
    }

    /**
     * POST /sidebar/api/tasks/{id}/claim (checked and held for a send, before the page sends the chat message), then
     * /sent (after it), or /dismiss.
     */
    private Reply closeTask(Engine engine, String staff, String rest) {
        int slash = rest.lastIndexOf('/');
        if (slash <= 0) {
            return error(404, "not_found", "expected tasks/{id}/claim, tasks/{id}/sent or tasks/{id}/dismiss");
        }
        String id = java.net.URLDecoder.decode(rest.substring(0, slash), StandardCharsets.UTF_8);
        String action = rest.substring(slash + 1);
        StaffDesk desk = engine.staffDesk();
        String tenant = engine.config().tenant();
        Instant now = clock.instant();
        DeskTask closed;
        if ("claim".equals(action)) {
            DeskTask claimed = desk.claim(tenant, staff, id, now);
            LOG.log(Level.INFO, JsonLog.line("sidebar task claimed", "staff", staff, "task", id, "as",
                    claimed.status()));
            return ok(json.createObjectNode().put("id", id).put("status", claimed.status() == DeskTask.Status.SENT
                    ? "SENT" : "SENDING").put("claimed_until", String.valueOf(claimed.claimedUntil())));
        }
        if ("sent".equals(action)) {
            closed = desk.markSent(tenant, staff, id, now);
        } else if ("dismiss".equals(action)) {
            closed = desk.dismiss(tenant, staff, id, now);
        } else {
            return error(404, "not_found", "expected tasks/{id}/claim, tasks/{id}/sent or tasks/{id}/dismiss");
        }
        LOG.log(Level.INFO, JsonLog.line("sidebar task closed", "staff", staff, "task", id, "as", closed.status()));
        return ok(json.createObjectNode().put("id", id).put("status", closed.status().name()));
    }

    // ---- helpers ----

    private StaffSessions.Session session(Request request) {
        String auth = request.header("authorization");
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new Unauthorized("sign in first: open the sidebar from WeCom");
        }
        return tokens.verify(auth.substring(7).trim())
                .orElseThrow(() -> new Unauthorized("the session expired; open the sidebar again"));
    }

    private JsonNode body(Request request, String method) {
        if (!"POST".equals(method) || request.body() == null || request.body().isEmpty()) {
            return json.createObjectNode();
        }
        byte[] bytes;
        try {
            bytes = request.base64() ? Base64.getDecoder().decode(request.body())
                    : request.body().getBytes(StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "body is marked base64 but is not");
        }
        if (bytes.length > MAX_BODY_BYTES) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "body over " + MAX_BODY_BYTES + " bytes");
        }
        try {
            JsonNode node = json.readTree(bytes);
            if (node == null || !node.isObject()) {
                throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "body must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "body is not JSON");
        } catch (java.io.IOException e) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, "body is not readable");
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, field + " is required");
        }
        return v.asText();
    }

    private static Set<String> strings(JsonNode body, String field) {
        Set<String> out = new LinkedHashSet<>();
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return out;
        }
        if (!v.isArray()) {
            throw new SidebarRefused(SidebarRefused.Reason.BAD_REQUEST, field + " must be a list of tag names");
        }
        v.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static String queryString(Map<String, String> query) {
        if (query.isEmpty()) {
            return "";
        }
        StringBuilder b = new StringBuilder("?");
        new java.util.TreeMap<>(query).forEach((k, v) -> b.append(b.length() > 1 ? "&" : "")
                .append(java.net.URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(java.net.URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return b.toString();
    }

    private static void putTime(ObjectNode node, String field, Instant at) {
        if (at == null) {
            node.putNull(field);
        } else {
            node.put(field, at.toString());
        }
    }

    private Reply ok(JsonNode body) {
        return json(200, body);
    }

    private Reply error(int status, String code, String message) {
        return json(status, json.createObjectNode().put("error", code).put("message", message));
    }

    private Reply json(int status, JsonNode body) {
        try {
            return new Reply(status, JSON, json.writeValueAsBytes(body), Map.of("Cache-Control", "no-store"));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    /** No valid session on a route that needs one. */
    private static final class Unauthorized extends RuntimeException {
        Unauthorized(String message) {
            super(message);
        }
    }
}
