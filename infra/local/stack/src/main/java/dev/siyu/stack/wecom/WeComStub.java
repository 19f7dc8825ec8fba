package dev.siyu.stack.wecom;

import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.stack.LoopbackHttpServer;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.siyu.stack.LoopbackHttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.lang.System.Logger.Level;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local stand-in for the WeCom server API ({@code https://qyapi.weixin.qq.com/cgi-bin/...}) that
 * keeps state, checks access tokens like WeCom, records every call and can be told to fail.
 * Point {@code WxCpDefaultConfigImpl.setBaseApiUrl} at {@link #baseUrl()}.
 *
 * <p>Control endpoints (outside {@code /cgi-bin/}): {@code GET|DELETE /_calls},
 * {@code POST|DELETE /_fail}, {@code POST /_expire_tokens}, {@code POST|GET /_contacts},
 * {@code POST|GET /_unassigned}, {@code POST /_transfers/complete}, {@code POST /_transfers/refuse},
 * {@code GET|DELETE /_state}, {@code POST /_welcome_codes}, {@code POST /_rules}, {@code GET /_directory},
 * {@code POST /_directory/leave} ({@code {"userid": ...}}: the member leaves, their customers are unassigned),
 * {@code POST /_oauth_codes} ({@code {"userid"}}: the OAuth code WeCom gives that staff member's app page).
 * The same operations are methods
 * here for tests.
 *
 * <p>It refuses what WeCom refuses, by the same {@link dev.siyu.memory.rules.WeComRules} the in-memory API uses
 * (docs/wecom-rules.md lists each rule with its WeCom documentation page).
 *
 * <p>Everything time-dependent (token expiry, the recorded {@code at}, 24-hour customer takeovers,
 * WeCom's 90-day transfer limit) follows the clock given to the constructor, so a simulator on a
 * virtual clock gets virtual-time behaviour.
 */
public final class WeComStub implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(WeComStub.class.getName());
    private static final String API_PREFIX = "/cgi-bin/";
    /**
     * Bodies above this are refused: the stub is for tests, not for soaking up a runaway client. It is room for
     * media/upload's largest file (20 MB, document/path/90253) and its multipart envelope, so that the size rules
     * are WeComRules' to answer, with WeCom's errcodes.
     */
    private static final int MAX_BODY_BYTES = 21 << 20;

    private final ObjectMapper json;
    private final StubState state;
    private final StubMedia media;
    private final StubGroups groups;
    private final StubDirectory directory;
    private final StubStaffPage staffPage;
    private HttpServer server;
    private ExecutorService executor;

    /**
     * A stub that only issues tokens for this corp id and secret (40013 / 40001 otherwise), on
     * the given clock (token expiry and the recorded {@code at} follow it).
     */
    public WeComStub(String corpId, String corpSecret, Clock clock) {
        this.json = new ObjectMapper();
        this.state = new StubState(corpId, corpSecret, clock, json);
        this.media = new StubMedia(state);
        this.groups = new StubGroups(clock::instant, json);
        this.directory = new StubDirectory(state, json);
        this.staffPage = new StubStaffPage(state);
    }

    /** The corp directory department/list, user/list_id and user/get answer from (empty but the root at first). */
    public StubDirectory directory() {
        return directory;
    }

    /**
     * The local stack's directory: the contacts secret of config/local.env and the members of
     * config/local-directory.yaml, when the file is there.
     */
    public WeComStub withDirectory(String contactsSecret, Path directoryFile) {
        directory.contactsSecret(contactsSecret);
        if (directoryFile != null && java.nio.file.Files.isRegularFile(directoryFile)) {
            directory.load(directoryFile);
        }
        return this;
    }

    /** The customer groups people create, join and leave here, which groupchat/get answers from. */
    public StubGroups groups() {
        return groups;
    }

    public WeComStub(String corpId, String corpSecret) {
        this(corpId, corpSecret, Clock.systemUTC());
    }

    /** A stub that issues a token for any non-blank corp id and secret. */
    public WeComStub() {
        this(Clock.systemUTC());
    }

    /** A stub that issues a token for any non-blank corp id and secret, on the given clock. */
    public WeComStub(Clock clock) {
        this(null, null, clock);
    }

    /** Binds to 127.0.0.1 on this port (0: a free one) and starts answering. */
    public synchronized WeComStub start(int port) {
        if (server != null) {
            throw new IllegalStateException("already started on " + baseUrl());
        }
        try {
            server = LoopbackHttpServer.create(port, 64);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot bind the WeCom stub to port " + port, e);
        }
        // Injected delays sleep on the handling thread, so a bounded pool would let one slow call
        // stall the rest; daemon threads keep a forgotten stub from holding the JVM open.
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "wecom-stub");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        return this;
    }

    public synchronized int port() {
        if (server == null) {
            throw new IllegalStateException("not started");
        }
        return server.getAddress().getPort();
    }

    /** e.g. {@code http://127.0.0.1:40123}; WeCom paths ({@code /cgi-bin/...}) go after it. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
            executor = null;
        }
    }

    // ---- Java control API (mirrors the HTTP one) ----

    public List<RecordedCall> calls() {
        return state.calls();
    }

    /** The calls recorded after the first {@code from} (cleared calls count as never recorded). */
    public List<RecordedCall> callsFrom(int from) {
        return state.callsFrom(from);
    }

    public List<RecordedCall> calls(String api) {
        return state.calls().stream().filter(c -> c.api().equals(api)).toList();
    }

    public void clearCalls() {
        state.clearCalls();
    }

    /** Queues a failure for the next calls of {@code api} (the path after /cgi-bin/, e.g. "gettoken"). */
    public void failNext(String api, InjectedFailure failure) {
        state.failNext(api, failure);
    }

    public void clearFailures() {
        state.clearFailures();
    }

    /** Every token issued so far answers 42001 from now on; gettoken issues fresh ones. */
    public void expireTokens() {
        state.expireTokens();
    }

    public void registerContact(StubContact contact) {
        state.registerContact(contact);
    }

    /** From now on externalcontact/get reports this unionid for the contact (e.g. a Mini Program member's). */
    public void contactUnionId(String externalUserId, String unionId) {
        state.contactUnionId(externalUserId, unionId);
    }

    /**
     * A customer of a departed staff member, waiting for a successor: listed by
     * {@code get_unassigned_list} until a {@code resigned/transfer_customer} takes them (and again
     * if they refuse). The dimission time is now on the stub's clock.
     */
    public void registerUnassigned(String handoverUserId, String externalUserId) {
        state.registerUnassigned(handoverUserId, externalUserId, null);
    }

    public void registerUnassigned(String handoverUserId, String externalUserId, Instant dimissionTime) {
        state.registerUnassigned(handoverUserId, externalUserId, Objects.requireNonNull(dimissionTime, "dimissionTime"));
    }

    /**
     * Every waiting transfer is taken over now (status 1), as if its 24 hours had passed; returns
     * how many. Without it, transfers complete by themselves once the stub's clock is 24 h on.
     */
    public int completeTransfers() {
        return state.completeTransfers();
    }

    /**
     * The customer refuses their waiting transfer (status 3), or, with none waiting, the next one
     * they are offered. A refused customer of a departed member is unassigned again.
     */
    public void refuseTransfer(String externalUserId) {
        state.refuseTransfer(externalUserId);
    }

    /**
     * WeCom gave this welcome_code in an add_external_contact event at this time (null: now): send_welcome_msg
     * takes it once within 20 seconds of it. A code never announced counts as given at its first use.
     */
    public void welcomeCodeIssued(String welcomeCode, Instant at) {
        state.welcomeCodeIssued(welcomeCode, at);
    }

    /** The corp's per-customer message task rule, as its admin sets it in WeCom (default: days in the month). */
    public void customerTaskLimit(dev.siyu.memory.rules.CustomerTaskLimit limit) {
        state.customerTaskLimit(limit);
    }

    /**
     * WeCom opens this staff member's app page (the sidebar) with {@code ?code=}: the code, which auth/getuserinfo
     * takes once within 5 minutes.
     */
    public String oauthCode(String staffUserId) {
        return staffPage.issueCode(staffUserId);
    }

    /** The sidebar's WeCom rules (OAuth codes, the agent jsapi_ticket and its hourly limit). */
    public dev.siyu.memory.rules.StaffPageRules staffPage() {
        return staffPage.rules();
    }

    /** The stub's state as {@code GET /_state} shows it. */
    public JsonNode snapshot() {
        return state.snapshot();
    }

    /**
     * Forgets tokens, calls, failures, contacts, contact ways, tags, used welcome codes, message
     * tasks, notifications, Moments tasks, unassigned customers and transfers.
     */
    public void reset() {
        state.reset();
        groups.reset();
        directory.reset();
        staffPage.rules().reset();
    }

    // ---- HTTP ----

    private void handle(HttpExchange exchange) {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            if (path.startsWith(API_PREFIX)) {
                handleApi(exchange, path.substring(API_PREFIX.length()));
            } else {
                handleControl(exchange, path);
            }
        } catch (IOException e) {
            // The client went away (typically it timed out during an injected delay): nothing to answer.
            LOG.log(Level.DEBUG, JsonLog.line("wecom stub: client gone", "error", e.toString()), e);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, JsonLog.line("wecom stub: handler failed", "error", e.toString()), e);
        }
    }

    private void handleApi(HttpExchange exchange, String api) throws IOException {
        Instant at = state.now();
        Map<String, String> query = parseQuery(exchange.getRequestURI().getRawQuery());
        String token = query.remove("access_token");
        // Our own header, which WeCom ignores: the delivery the call is part of, so the record shows a
        // touch that succeeded twice.
        String touchId = exchange.getRequestHeaders().getFirst(WeComApi.TOUCH_ID_HEADER);
        byte[] raw = readBody(exchange);
        JsonNode body = null;
        boolean badJson = false;
        // media uploads are multipart/form-data, not JSON (StubMedia reads them)
        boolean upload = api.startsWith("media/");
        if (raw.length > 0 && !upload) {
            try {
                body = json.readTree(raw);
            } catch (IOException e) {
                badJson = true;
            }
        }

        InjectedFailure failure = state.takeFailure(api);
        if (failure != null && failure.delayMs() > 0) {
            try {
                Thread.sleep(failure.delayMs());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (failure != null && failure.httpStatus() != 0) {
            state.record(new RecordedCall(at, api, query, body, StubState.SYSTEM_BUSY, failure.httpStatus(), touchId));
            send(exchange, failure.httpStatus(), "text/html; charset=UTF-8",
                    ("<html><body><h1>" + failure.httpStatus() + "</h1>injected by the WeCom stub</body></html>")
                            .getBytes(StandardCharsets.UTF_8));
            return;
        }

        int status = 200;
        ObjectNode answer;
        if (failure != null && failure.errcode() != 0) {
            answer = state.error(failure.errcode(), "injected by the WeCom stub");
        } else if (badJson) {
            answer = state.error(StubState.BAD_JSON, "data format error: body is not JSON");
        } else if (api.equals("gettoken")) {
            answer = state.getToken(query.get("corpid"), query.get("corpsecret"));
        } else {
            ObjectNode tokenError = state.checkToken(token);
            if (tokenError != null) {
                answer = tokenError;
            } else {
                JsonNode in = body == null ? json.createObjectNode() : body;
                answer = upload ? media.handle(api, query, exchange.getRequestHeaders().getFirst("Content-Type"), raw)
                        : directory.handle(api, token, query, in);
                if (answer == null && !upload) {
                    answer = state.required(api, in);
                }
                if (answer == null) {
                    answer = dispatch(api, query, in);
                }
                if (upload) {
                    // the record shows what was uploaded and the id it got, not the bytes
                    ObjectNode seen = json.createObjectNode().put("type", query.getOrDefault("type", "image"))
                            .put("filelength", raw.length);
                    seen.set("media_id", answer.get("media_id"));
                    body = seen;
                }
                if (answer == null) {
                    status = 404;
                    answer = state.error(StubState.SYSTEM_BUSY, "the WeCom stub does not implement " + api);
                }
            }
        }
        // gettoken's query carries the secret; keep it out of recordings like the token.
        if (api.equals("gettoken") && query.containsKey("corpsecret")) {
            query.put("corpsecret", "***");
        }
        state.record(new RecordedCall(at, api, query, body, answer.path("errcode").asInt(), status, touchId));
        sendJson(exchange, status, answer);
    }

    private ObjectNode dispatch(String api, Map<String, String> query, JsonNode body) {
        switch (api) {
            case "externalcontact/get":
                return state.getContact(query.get("external_userid"));
            case "externalcontact/add_contact_way":
                return state.addContactWay(body);
            case "externalcontact/update_contact_way":
                return state.updateContactWay(body);
            case "externalcontact/get_contact_way":
                return state.getContactWay(body);
            case "externalcontact/del_contact_way":
                return state.deleteContactWay(body);
            case "externalcontact/send_welcome_msg":
                return state.sendWelcome(body);
            case "externalcontact/get_corp_tag_list":
                return state.corpTagList(body);
            case "externalcontact/add_corp_tag":
                return state.addCorpTag(body);
            case "externalcontact/mark_tag":
                return state.markTag(body);
            case "externalcontact/add_msg_template":
                return state.addMsgTemplate(body);
            case "message/send":
                return state.sendMessage(body);
            case "externalcontact/add_moment_task":
                return state.addMomentTask(body);
            case "externalcontact/get_groupmsg_list_v2":
                return state.groupMsgListV2(body);
            case "externalcontact/get_groupmsg_send_result":
                return state.groupMsgSendResult(body);
            case "externalcontact/get_moment_list":
                return state.momentList(body);
            case "externalcontact/get_unassigned_list":
                return state.unassignedList(body);
            case "externalcontact/transfer_customer":
                return state.transferCustomer(body, false);
            case "externalcontact/resigned/transfer_customer":
                return state.transferCustomer(body, true);
            case "externalcontact/transfer_result":
                return state.transferResult(body, false);
            case "externalcontact/resigned/transfer_result":
                return state.transferResult(body, true);
            case "auth/getuserinfo":
                return staffPage.userInfo(query.get("code"));
            case "ticket/get":
                return staffPage.ticket(query.get("type"));
            default:
                return groups.dispatch(api, body);
        }
    }

    private void handleControl(HttpExchange exchange, String path) throws IOException {
        String method = exchange.getRequestMethod();
        String route = method + " " + path;
        byte[] raw = readBody(exchange);
        try {
            switch (route) {
                case "GET /_calls":
                    sendJson(exchange, 200, callsJson());
                    return;
                case "DELETE /_calls":
                    state.clearCalls();
                    sendJson(exchange, 200, state.ok());
                    return;
                case "POST /_fail":
                    failNext(parseFailure(json.readTree(raw)));
                    sendJson(exchange, 200, state.ok());
                    return;
                case "DELETE /_fail":
                    state.clearFailures();
                    sendJson(exchange, 200, state.ok());
                    return;
                case "POST /_expire_tokens":
                    state.expireTokens();
                    sendJson(exchange, 200, state.ok());
                    return;
                case "POST /_contacts":
                    registerContacts(json.readTree(raw));
                    sendJson(exchange, 200, state.ok());
                    return;
                case "GET /_contacts":
                    sendJson(exchange, 200, state.snapshot().path("contacts"));
                    return;
                case "POST /_unassigned":
                    registerUnassigned(json.readTree(raw));
                    sendJson(exchange, 200, state.ok());
                    return;
                case "GET /_unassigned":
                    sendJson(exchange, 200, state.snapshot().path("unassigned"));
                    return;
                case "POST /_transfers/complete": {
                    ObjectNode done = state.ok();
                    done.put("completed", state.completeTransfers());
                    sendJson(exchange, 200, done);
                    return;
                }
                case "POST /_transfers/refuse":
                    state.refuseTransfer(json.readTree(raw).path("external_userid").asText(null));
                    sendJson(exchange, 200, state.ok());
                    return;
                case "POST /_welcome_codes": {
                    JsonNode in = json.readTree(raw);
                    state.welcomeCodeIssued(in.path("welcome_code").asText(null),
                            in.hasNonNull("at") ? Instant.ofEpochSecond(in.get("at").asLong()) : null);
                    sendJson(exchange, 200, state.ok());
                    return;
                }
                case "POST /_rules":
                    state.customerTaskLimit(dev.siyu.memory.rules.CustomerTaskLimit.valueOf(
                            json.readTree(raw).path("customer_task_limit").asText("DAYS_IN_MONTH")));
                    sendJson(exchange, 200, state.ok());
                    return;
                case "GET /_directory":
                    sendJson(exchange, 200, json.valueToTree(directory.members()));
                    return;
                case "POST /_directory/leave": {
                    ObjectNode done = state.ok();
                    done.put("unassigned", directory.leave(json.readTree(raw).path("userid").asText(null)));
                    sendJson(exchange, 200, done);
                    return;
                }
                case "POST /_oauth_codes": {
                    ObjectNode issued = state.ok();
                    issued.put("code", staffPage.issueCode(json.readTree(raw).path("userid").asText(null)));
                    sendJson(exchange, 200, issued);
                    return;
                }
                case "GET /_state":
                    sendJson(exchange, 200, state.snapshot());
                    return;
                case "DELETE /_state":
                    state.reset();
                    sendJson(exchange, 200, state.ok());
                    return;
                default:
                    sendJson(exchange, 404, state.error(404, "no such route: " + route));
            }
        } catch (JsonProcessingException | IllegalArgumentException e) {
            sendJson(exchange, 400, state.error(400, "bad control request: " + e.getMessage()));
        }
    }

    private ArrayNode callsJson() {
        ArrayNode out = json.createArrayNode();
        for (RecordedCall call : state.calls()) {
            ObjectNode c = out.addObject();
            c.put("at", call.at().toString());
            c.put("api", call.api());
            ObjectNode q = c.putObject("query");
            call.query().forEach(q::put);
            c.set("body", call.body());
            c.put("errcode", call.errcode());
            c.put("http_status", call.httpStatus());
            if (call.touchId() != null) {
                c.put("touch_id", call.touchId());
            }
        }
        return out;
    }

    private void failNext(Map.Entry<String, InjectedFailure> apiAndFailure) {
        state.failNext(apiAndFailure.getKey(), apiAndFailure.getValue());
    }

    private static Map.Entry<String, InjectedFailure> parseFailure(JsonNode in) {
        String api = in.path("api").asText("");
        if (api.isBlank()) {
            throw new IllegalArgumentException("api is required, e.g. externalcontact/send_welcome_msg");
        }
        if (api.startsWith(API_PREFIX) || api.startsWith("cgi-bin/")) {
            api = api.substring(api.indexOf("cgi-bin/") + "cgi-bin/".length());
        }
        InjectedFailure failure = new InjectedFailure(in.path("errcode").asInt(0), in.path("http_status").asInt(0),
                in.path("delay_ms").asLong(0), in.path("times").asInt(1));
        return Map.entry(api, failure);
    }

    private void registerContacts(JsonNode in) {
        if (in.isArray()) {
            in.forEach(this::registerContact);
        } else {
            registerContact(in);
        }
    }

    private void registerContact(JsonNode c) {
        List<String> follow = new ArrayList<>();
        c.path("follow_user").forEach(n -> follow.add(n.isObject() ? n.path("userid").asText() : n.asText()));
        state.registerContact(new StubContact(c.path("external_userid").asText(null), c.path("name").asText(null),
                c.path("avatar").asText(""), c.hasNonNull("unionid") ? c.get("unionid").asText() : null,
                c.path("gender").asInt(0), follow));
    }

    /** One {@code {"handover_userid", "external_userid", "dimission_time"?}} or an array of them. */
    private void registerUnassigned(JsonNode in) {
        if (in == null || !(in.isArray() || in.isObject())) {
            throw new IllegalArgumentException("expected an object or an array of objects");
        }
        for (JsonNode u : in.isArray() ? in : List.of(in)) {
            state.registerUnassigned(u.path("handover_userid").asText(null), u.path("external_userid").asText(null),
                    u.hasNonNull("dimission_time") ? Instant.ofEpochSecond(u.get("dimission_time").asLong()) : null);
        }
    }

    private static byte[] readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new IOException("request body over " + MAX_BODY_BYTES + " bytes");
            }
            return bytes;
        }
    }

    private static Map<String, String> parseQuery(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }

    private void sendJson(HttpExchange exchange, int status, JsonNode body) throws IOException {
        send(exchange, status, "application/json; charset=UTF-8", json.writeValueAsBytes(body));
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] bytes) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
