package dev.siyu.stack.miniapp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.miniapp.SubscriptionKeyword;
import dev.siyu.stack.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A local stand-in for the WeChat Mini Program server API ({@code https://api.weixin.qq.com}) with WeChat's checks,
 * on its own loopback port; point WxJava's {@code WxMaDefaultConfigImpl.setApiHostUrl} at {@link #baseUrl()}.
 * Each rule cites its page (docs/miniapp.md lists them):
 * <ul>
 *   <li>{@code GET /cgi-bin/token} and {@code POST /cgi-bin/stable_token}: an access token for 7200 s, for this
 *       app id and secret only (40013 invalid appid, 40125 invalid appsecret). {@code /cgi-bin/token} makes a new
 *       token on every fetch and leaves the older ones 5 minutes, 2000 fetches a day (45009 "reach max api daily
 *       quota limit" after) (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getAccessToken.html);
 *       the stable token is the same token until it expires, {@code force_refresh} ends it at once and makes a new
 *       one, and the two kinds never affect each other
 *       (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-access-token/getStableAccessToken.html).
 *       A call without a live token: 40001, an expired one 42001.</li>
 *   <li>{@code GET /sns/jscode2session}: a login code is good once (40163 "code been used") and for 5 minutes from
 *       when wx.login issued it (40029 "invalid code" after); a code never issued here counts as issued at its first
 *       use, and maps to an openid and unionid derived from it, the same every run
 *       (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html).</li>
 *   <li>{@code POST /wxa/business/getuserphonenumber}: a phone code is good once (40029 after), the number the
 *       control API registered for it or one derived from the code (a +86 mobile)
 *       (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-info/phone-number/getPhoneNumber.html).</li>
 *   <li>{@code POST /cgi-bin/message/subscribe/send}: template_id (40037), touser (40003) and data (47003) are
 *       required, each keyword's value what its kind takes ({@code SubscriptionKeyword}: thing at most 20
 *       characters, name 10 Chinese characters or 20 letters, phrase 5 Chinese characters, number, letter and
 *       character_string 32, phone_number 17, time, date and amount in their formats; an unknown keyword or
 *       another value: 47003 "argument invalid! data.&lt;key&gt;.value invalid"); a one-time subscription the
 *       member accepted for that template allows one message, none left:
 *       43101 "user refuse to accept the msg"
 *       (developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/mp-message-management/subscribe-message/sendMessage.html,
 *       developers.weixin.qq.com/miniprogram/dev/framework/open-ability/subscribe-message.html).</li>
 * </ul>
 * Control endpoints: {@code POST /_codes {code, same_user_as?}} (wx.login issued it now, to the user who first
 * signed in with same_user_as), {@code POST /_phone_codes {code, phone}},
 * {@code POST /_subscriptions {openid, template_id}} (the member accepted one), {@code GET /_sent},
 * {@code POST /_expire_tokens}.
 */
public final class MiniProgramStub implements AutoCloseable {
    public static final Duration CODE_LIFETIME = Duration.ofMinutes(5);
    public static final Duration TOKEN_LIFETIME = Duration.ofSeconds(7200);
    private static final System.Logger LOG = System.getLogger(MiniProgramStub.class.getName());
    private static final int MAX_BODY_BYTES = 1 << 20;
    /** GET /cgi-bin/token: 2000 fetches a day per app, then 45009 (getAccessToken.html). */
    public static final int TOKEN_DAILY_QUOTA = 2000;
    /** GET /cgi-bin/token: a newer fetch leaves the older tokens 5 minutes (getAccessToken.html). */
    public static final Duration OLD_TOKEN_GRACE = Duration.ofMinutes(5);

    private final String appId;
    private final String appSecret;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Instant> issuedCodes = new HashMap<>();
    private final Map<String, Instant> usedCodes = new HashMap<>();
    /** code -> the code the same WeChat user first signed in with (whose openid and unionid it maps to). */
    private final Map<String, String> sameUser = new HashMap<>();
    private final Map<String, String> phoneCodes = new HashMap<>();
    private final Map<String, Boolean> usedPhoneCodes = new HashMap<>();
    private final Map<String, Integer> subscriptions = new HashMap<>();
    private final Map<String, Instant> tokens = new HashMap<>();
    private final List<JsonNode> sent = new ArrayList<>();
    /** Tokens from GET /cgi-bin/token (the stable ones are kept apart: the two never affect each other). */
    private final java.util.Set<String> plainTokens = new java.util.HashSet<>();
    private String stableToken;
    private java.time.LocalDate plainDay;
    private int plainFetches;
    private HttpServer server;
    private ExecutorService executor;

    /** A stub for this app id and secret (null: any non-blank pair), on clock. */
    public MiniProgramStub(String appId, String appSecret, Clock clock) {
        this.appId = appId;
        this.appSecret = appSecret;
        this.clock = clock;
    }

    public synchronized MiniProgramStub start(int port) {
        try {
            server = LoopbackHttpServer.create(port, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the Mini Program stub to port " + port, e);
        }
        executor = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "miniprogram-stub");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public synchronized String baseUrl() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            server = null;
        }
    }

    // ---- the rules, also callable from tests ----

    /** The openid the stub gives for a login code: derived from it, so the same code gives the same member. */
    public static String openidOf(String code) {
        return "o" + digest("openid:" + code).substring(0, 27);
    }

    public static String unionidOf(String code) {
        return "u" + digest("unionid:" + code).substring(0, 27);
    }

    /** The number an unregistered phone code gives: a mainland mobile derived from the code. */
    public static String phoneOf(String code) {
        long n = Long.parseLong(digest("phone:" + code).substring(0, 12), 16) % 100_000_000L;
        return "+86139" + String.format("%08d", n);
    }

    /** wx.login issued code now: it is good for {@link #CODE_LIFETIME}. */
    public synchronized void codeIssued(String code) {
        issuedCodes.putIfAbsent(code, clock.instant());
    }

    /**
     * wx.login issued code now to the WeChat user who first signed in with firstCode: it maps to that user's openid
     * and unionid (one user gets a new code per login, the same ids every time).
     */
    public synchronized void codeIssued(String code, String firstCode) {
        codeIssued(code);
        sameUser.put(code, firstCode);
    }

    public synchronized void phoneCode(String code, String phone) {
        phoneCodes.put(code, phone);
    }

    /** The member accepted one message of templateId (wx.requestSubscribeMessage). */
    public synchronized void subscribed(String openid, String templateId) {
        subscriptions.merge(openid + "|" + templateId, 1, Integer::sum);
    }

    public synchronized List<JsonNode> sent() {
        return List.copyOf(sent);
    }

    public synchronized void expireTokens() {
        tokens.replaceAll((t, exp) -> Instant.EPOCH);
        stableToken = null;
    }

    // ---- HTTP ----

    private void handle(HttpExchange ex) {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            byte[] raw = readBody(ex);
            JsonNode body = raw.length == 0 ? json.createObjectNode() : json.readTree(raw);
            ObjectNode out;
            synchronized (this) {
                out = switch (path) {
                    case "/cgi-bin/token" -> token(q.get("appid"), q.get("secret"), false, false);
                    case "/cgi-bin/stable_token" -> token(body.path("appid").asText(null),
                            body.path("secret").asText(null), true, body.path("force_refresh").asBoolean(false));
                    case "/sns/jscode2session" -> session(q);
                    case "/wxa/business/getuserphonenumber" -> phone(q.get("access_token"), body);
                    case "/cgi-bin/message/subscribe/send" -> send(q.get("access_token"), body);
                    case "/_codes" -> control(() -> codeIssued(body.path("code").asText(),
                            body.path("same_user_as").asText(body.path("code").asText())));
                    case "/_phone_codes" -> control(() -> phoneCode(body.path("code").asText(),
                            body.path("phone").asText()));
                    case "/_subscriptions" -> control(() -> subscribed(body.path("openid").asText(),
                            body.path("template_id").asText()));
                    case "/_expire_tokens" -> control(this::expireTokens);
                    case "/_sent" -> {
                        ObjectNode o = ok();
                        ArrayNode a = o.putArray("sent");
                        sent.forEach(a::add);
                        yield o;
                    }
                    default -> err(404, "no such api " + path);
                };
            }
            byte[] reply = out.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(path.startsWith("/_") && out.path("errcode").asInt() == 404 ? 404 : 200,
                    reply.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(reply);
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, JsonLog.line("miniprogram stub: client gone", "error", e.toString()));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line("miniprogram stub: handler failed", "error", e.toString()), e);
        }
    }

    private ObjectNode token(String id, String secret, boolean stable, boolean forceRefresh) {
        if (id == null || id.isBlank() || (appId != null && !appId.equals(id))) {
            return err(40013, "invalid appid");
        }
        if (secret == null || secret.isBlank() || (appSecret != null && !appSecret.equals(secret))) {
            return err(40125, "invalid appsecret");
        }
        Instant now = clock.instant();
        String t;
        if (stable) {
            if (!forceRefresh && stableToken != null && tokens.getOrDefault(stableToken, Instant.EPOCH).isAfter(now)) {
                t = stableToken;
            } else {
                if (stableToken != null) {
                    // Force refresh: the token handed out before stops working at once (getStableAccessToken.html).
                    tokens.put(stableToken, now);
                }
                t = "mp-stable-" + UUID.randomUUID();
                tokens.put(t, now.plus(TOKEN_LIFETIME));
                stableToken = t;
            }
        } else {
            java.time.LocalDate today = now.atZone(java.time.ZoneOffset.ofHours(8)).toLocalDate();
            if (!today.equals(plainDay)) {
                plainDay = today;
                plainFetches = 0;
            }
            if (plainFetches >= TOKEN_DAILY_QUOTA) {
                return err(45009, "reach max api daily quota limit");
            }
            plainFetches++;
            // Each fetch makes a new token; the ones before keep working 5 minutes more (getAccessToken.html).
            Instant graceEnd = now.plus(OLD_TOKEN_GRACE);
            for (String old : plainTokens) {
                tokens.computeIfPresent(old, (k, exp) -> exp.isAfter(graceEnd) ? graceEnd : exp);
            }
            t = "mp-" + UUID.randomUUID();
            tokens.put(t, now.plus(TOKEN_LIFETIME));
            plainTokens.add(t);
        }
        ObjectNode o = json.createObjectNode();
        o.put("access_token", t);
        o.put("expires_in", Duration.between(now, tokens.get(t)).toSeconds());
        return o;
    }

    private ObjectNode session(Map<String, String> q) {
        if (q.get("appid") == null || (appId != null && !appId.equals(q.get("appid")))) {
            return err(40013, "invalid appid");
        }
        if (q.get("secret") == null || (appSecret != null && !appSecret.equals(q.get("secret")))) {
            return err(40125, "invalid appsecret");
        }
        if (!"authorization_code".equals(q.get("grant_type"))) {
            return err(40002, "invalid grant_type");
        }
        String code = q.get("js_code");
        if (code == null || code.isBlank()) {
            return err(41008, "missing code");
        }
        Instant now = clock.instant();
        if (usedCodes.containsKey(code)) {
            return err(40163, "code been used");
        }
        Instant issued = issuedCodes.getOrDefault(code, now);
        if (now.isAfter(issued.plus(CODE_LIFETIME))) {
            return err(40029, "invalid code");
        }
        usedCodes.put(code, now);
        String user = sameUser.getOrDefault(code, code);
        ObjectNode o = json.createObjectNode();
        o.put("openid", openidOf(user));
        o.put("unionid", unionidOf(user));
        o.put("session_key", java.util.Base64.getEncoder().encodeToString(digest("sk:" + code)
                .substring(0, 16).getBytes(StandardCharsets.UTF_8)));
        return o;
    }

    private ObjectNode phone(String token, JsonNode body) {
        ObjectNode refused = checkToken(token);
        if (refused != null) {
            return refused;
        }
        String code = body.path("code").asText("");
        if (code.isBlank() || usedPhoneCodes.containsKey(code)) {
            return err(40029, "invalid code");
        }
        usedPhoneCodes.put(code, true);
        String e164 = phoneCodes.getOrDefault(code, phoneOf(code));
        String cc = e164.startsWith("+86") ? "86" : e164.substring(1, 3);
        String pure = e164.substring(1 + cc.length());
        ObjectNode o = ok();
        ObjectNode info = o.putObject("phone_info");
        info.put("phoneNumber", cc.equals("86") ? pure : "+" + cc + pure);
        info.put("purePhoneNumber", pure);
        info.put("countryCode", cc);
        info.putObject("watermark").put("appid", appId == null ? "" : appId).put("timestamp",
                clock.instant().getEpochSecond());
        return o;
    }

    private ObjectNode send(String token, JsonNode body) {
        ObjectNode refused = checkToken(token);
        if (refused != null) {
            return refused;
        }
        String template = body.path("template_id").asText("");
        String touser = body.path("touser").asText("");
        if (template.isBlank()) {
            return err(40037, "invalid template_id");
        }
        if (touser.isBlank()) {
            return err(40003, "invalid openid");
        }
        if (!body.path("data").isObject() || body.path("data").isEmpty()) {
            return err(47003, "argument invalid! data is empty");
        }
        // sendMessage.html's keyword rules, every kind: a value its kind does not take is 47003.
        for (java.util.Iterator<Map.Entry<String, JsonNode>> it = body.path("data").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            String value = field.getValue().path("value").asText("");
            if (value.isEmpty()) {
                return err(47003, "argument invalid! data." + field.getKey() + ".value is empty");
            }
            boolean taken = SubscriptionKeyword.of(field.getKey()).map(k -> k.accepts(value)).orElse(false);
            if (!taken) {
                return err(47003, "argument invalid! data." + field.getKey() + ".value invalid");
            }
        }
        String key = touser + "|" + template;
        int left = subscriptions.getOrDefault(key, 0);
        if (left <= 0) {
            return err(43101, "user refuse to accept the msg");
        }
        subscriptions.put(key, left - 1);
        sent.add(body.deepCopy());
        return ok();
    }

    private ObjectNode checkToken(String token) {
        if (token == null || !tokens.containsKey(token)) {
            return err(40001, "invalid credential, access_token is invalid or not latest");
        }
        if (!tokens.get(token).isAfter(clock.instant())) {
            return err(42001, "access_token expired");
        }
        return null;
    }

    private ObjectNode control(Runnable r) {
        r.run();
        return ok();
    }

    private ObjectNode ok() {
        return json.createObjectNode().put("errcode", 0).put("errmsg", "ok");
    }

    private ObjectNode err(int code, String msg) {
        return json.createObjectNode().put("errcode", code).put("errmsg", msg);
    }

    private static byte[] readBody(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] b = in.readNBytes(MAX_BODY_BYTES + 1);
            if (b.length > MAX_BODY_BYTES) {
                throw new IOException("body over " + MAX_BODY_BYTES + " bytes");
            }
            return b;
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> m = new HashMap<>();
        if (raw == null || raw.isEmpty()) {
            return m;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            m.put(k, eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static String digest(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
