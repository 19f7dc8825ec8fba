package dev.siyu.sim;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.ingest.IngestEndpoint;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.miniapp.MemberCodes;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.miniapp.MemberDetailsStore;
import dev.siyu.core.miniapp.MemberEndpoint;
import dev.siyu.core.miniapp.MiniProgram;
import dev.siyu.core.miniapp.PhoneSeal;
import dev.siyu.core.miniapp.SessionTokens;
import dev.siyu.core.miniapp.StaffEndpoint;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.memory.faults.Faults;
import dev.siyu.memory.faults.InstanceCrash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The demo's Mini Program members and the brand's order sources, through production's routes: members sign in
 * ({@code POST /miniapp/login} with a wx.login code), grant and withdraw consent, browse ({@code POST
 * /miniapp/events}) and spend their points on rewards; the POS and the web shop send orders, a few refunds and
 * replays to {@code POST /ingest/orders}, signed with the source's secret. The endpoints are the miniapp-api
 * function's own objects on the current instance's engine, called in process as the simulation calls the
 * sidebar's; a crashed instance answers 502, as the gateway would. A failed request is sent again as its sender
 * would: the Mini Program with the same body (request id, event id) a few seconds later, the POS with the same
 * order id after growing pauses.
 */
final class MiniProgramMembers {
    static final String POLICY_VERSION = "2026-05";
    /** The member taps again, a few seconds apart. */
    static final int APP_RETRIES = 3;
    static final Duration APP_RETRY_AFTER = Duration.ofSeconds(5);
    /** A till or a web shop resends an unanswered order: after 1, 2, 4 ... 32 minutes. */
    static final int ORDER_RETRIES = 6;
    static final Duration ORDER_RETRY_FIRST = Duration.ofMinutes(1);
    /** The Mini Program signs in again this long before its session token expires. */
    static final Duration TOKEN_MARGIN = Duration.ofMinutes(5);
    /** Orders refunded later (in part or whole), and orders a source sends a second time by mistake. */
    static final double REFUND_SHARE = 0.04;
    static final double REPLAY_SHARE = 0.03;
    /** The chance a member with at least the cheapest reward's points redeems one after an order. */
    static final double REDEEM_AFTER_ORDER = 0.35;
    static final List<String> PRODUCTS = List.of("SERUM-30ML", "CREAM-50ML", "MASK-5PK", "SUNSCREEN-40ML",
            "LIPSTICK-07", "BABY-LOTION-200", "VITAMIN-C-60");

    /** What the members need from the simulation around them. */
    interface Platform {
        /** A sender's retry, run even after the window (as the platform's retries are). */
        void retry(Instant at, Runnable action);

        /** Something the member does later, within the window. */
        void plan(Instant at, Runnable action);

        /** A time a person would act, between min and max hours from now. */
        Instant later(int minHours, int maxHours);

        /** The instance serving the call died: the next call reaches a fresh one. */
        void crashed();
    }

    /** One member as their phone knows them: the WeChat user, the session, the balance last shown. */
    static final class Member {
        final String externalUserId;
        /** The code the member first signed in with: WeChat derives their openid and unionid from it. */
        final String firstCode;
        final String openid;
        final String unionid;
        String token;
        Instant tokenUntil;
        /** The customer the last login answered with; null until a login succeeded. */
        String customerId;
        int codes;
        long balance;
        boolean marketing;

        Member(String externalUserId, String firstCode, String openid, String unionid) {
            this.externalUserId = externalUserId;
            this.firstCode = firstCode;
            this.openid = openid;
            this.unionid = unionid;
        }
    }

    /** An order as its source sent it, kept for its refund or replay. */
    private record SentOrder(String source, String orderId, ObjectNode customer, double amount, String category,
                             Instant at, String store, Member member) {
        String requestId() {
            return "order-" + source + "-" + orderId;
        }
    }

    @FunctionalInterface
    private interface Answer {
        void accept(int status, JsonNode reply);
    }

    private final ObjectMapper json = new ObjectMapper();
    private final ScrmConfig config;
    private final MemberWorld world;
    private final Clock clock;
    private final Random random;
    private final long seed;
    private final Platform platform;
    private final PointsLedger ledger;
    private final MemberDetailsStore details;
    private final MiniProgram wechat;
    private final SessionTokens tokens;
    private final PhoneSeal phones;
    private final IdentityKeys keys;
    private final MemberCodes memberCodes;
    private MemberEndpoint endpoint;
    private IngestEndpoint ingest;
    private StaffEndpoint staffPages;
    /** The staff sessions the Mini Program's staff pages hold (the sidebar's key, as the function's StaffWiring). */
    private final StaffSessions staffSessions;
    private final Map<String, String> staffTokens = new java.util.HashMap<>();
    private final Map<String, Instant> staffTokensUntil = new java.util.HashMap<>();
    private final List<Member> members = new ArrayList<>();
    private final Map<String, Long> counts = new TreeMap<>();
    private final Map<String, Long> refusals = new TreeMap<>();
    private final Set<String> acceptedOrders = new TreeSet<>();
    private final Set<String> customersAnswered = new TreeSet<>();
    private final Set<String> redemptionsPosted = new TreeSet<>();
    private long ids;

    /**
     * @param faults the engine's faults: the function's own stores and WeChat calls fail as the engine's do
     */
    MiniProgramMembers(ScrmConfig config, MemberWorld world, Faults faults, Clock clock, Random random, long seed,
                       StaffSessions staffSessions, Platform platform) {
        this.staffSessions = staffSessions;
        this.config = config;
        this.world = world;
        this.clock = clock;
        this.random = random;
        this.seed = seed;
        this.platform = platform;
        this.ledger = faults.wrap(PointsLedger.class, world.ledger());
        this.details = faults.wrap(MemberDetailsStore.class, world.details());
        this.wechat = faults.wrap(MiniProgram.class, world.miniProgram());
        this.tokens = new SessionTokens(world.tokenKey(), SessionTokens.DEFAULT_LIFETIME);
        this.phones = new PhoneSeal(world.dataKey());
        this.keys = new IdentityKeys(world.identityKey());
        this.memberCodes = new MemberCodes(world.tokenKey());
    }

    /** The function on a new instance's engine, built as MiniappWiring and IngestWiring build it. */
    void onInstance(Engine engine) {
        MemberServices services = new MemberServices(engine, ledger, keys, new MemberDetailsMerge(details, phones));
        endpoint = new MemberEndpoint(() -> services, details, wechat, tokens, phones, keys, memberCodes);
        ingest = new IngestEndpoint(world::secret, () -> services);
        staffPages = new StaffEndpoint(() -> services, staffSessions, memberCodes);
    }

    /** The ledger and member details as the engine's jobs (points expiry) see them: behind the same faults. */
    dev.siyu.core.member.MemberStores stores() {
        return new dev.siyu.core.member.MemberStores(ledger, details);
    }

    /**
     * The member answers the Mini Program's wx.requestSubscribeMessage for one of the blueprint's templates (after an
     * order: the restock reminder; after a reward: reward alerts). An accept is what WeChat records on the phone (one
     * message allowed); the Mini Program reports the answer to POST /miniapp/subscriptions.
     */
    void subscribe(Member m, String templateName) {
        Optional<dev.siyu.core.config.MiniappSettings.SubscriptionTemplate> t = config.miniapp().template(templateName);
        if (t.isEmpty()) {
            return;
        }
        boolean accept = random.nextDouble() < 0.8;
        if (accept) {
            world.weChat().subscribed(m.openid, t.get().templateId());
        }
        ObjectNode b = json.createObjectNode().put("template_id", t.get().templateId())
                .put("result", accept ? "accept" : "reject").put("request_id", nextId("sb"));
        send(m, "POST", "/miniapp/subscriptions", b.toString(), (status, reply) -> count(status != 200
                ? "subscriptions_rejected_" + status : accept ? "subscriptions_accepted" : "subscriptions_declined"), 0);
    }

    /**
     * A member at their store's till: the Mini Program shows the member code (GET /miniapp/member-code) and the
     * advisor on duty, signed in to the Mini Program's staff page with WeCom's OAuth, scans it (POST
     * /miniapp/staff/check-in).
     */
    void visitStore(Member m, String staffUserId, String store) {
        if (staffUserId == null) {
            return;
        }
        send(m, "GET", "/miniapp/member-code", null, (status, reply) -> {
            if (status != 200) {
                count("member_codes_rejected_" + status);
                return;
            }
            count("member_codes_shown");
            checkIn(staffUserId, reply.path("code").asText(), store, 0);
        }, 0);
    }

    /** The scan; a failure is scanned again a few seconds later (the code holds this minute and the next). */
    private void checkIn(String staff, String memberCode, String store, int attempt) {
        int status;
        JsonNode reply = null;
        try {
            status = staffSignedIn(staff) ? 200 : signInStaff(staff);
            if (status == 200) {
                String body = json.createObjectNode().put("member_code", memberCode).put("store", store).toString();
                MemberEndpoint.Reply r = staffPages.handle(new dev.siyu.core.http.HttpRequest("POST", StaffEndpoint.PREFIX
                        + "check-in", Map.of(), Map.of("Authorization", "Bearer " + staffTokens.get(staff),
                        "Content-Type", "application/json"), body, false));
                status = r.status();
                reply = read(r.body());
                if (status == 401) {
                    staffTokens.remove(staff);
                }
            }
        } catch (InstanceCrash e) {
            platform.crashed();
            status = 502;
        }
        if (status == 200) {
            count("store_visits_checked_in");
            if (reply.path("first_visit_today").asBoolean(false)) {
                count("store_visits_first_of_day");
            }
            return;
        }
        if ((status >= 500 || status == 401) && attempt < APP_RETRIES) {
            count("check_ins_retried");
            platform.retry(clock.instant().plus(APP_RETRY_AFTER), () -> checkIn(staff, memberCode, store, attempt + 1));
        } else {
            count("check_ins_refused_" + status);
        }
    }

    private boolean staffSignedIn(String staff) {
        return staffTokens.containsKey(staff) && clock.instant().isBefore(staffTokensUntil.get(staff));
    }

    /** WeCom opens the staff page with an OAuth code; POST /miniapp/staff/session exchanges it for a session. */
    private int signInStaff(String staff) {
        String body = json.createObjectNode().put("code", world.weChat().staffOAuthCode(staff)).toString();
        MemberEndpoint.Reply r = staffPages.handle(new dev.siyu.core.http.HttpRequest("POST", StaffEndpoint.PREFIX + "session",
                Map.of(), Map.of("Content-Type", "application/json"), body, false));
        if (r.status() != 200) {
            count("staff_sign_ins_failed_" + r.status());
            return r.status();
        }
        JsonNode j = read(r.body());
        count("staff_sign_ins");
        staffTokens.put(staff, j.path("token").asText());
        staffTokensUntil.put(staff, clock.instant().plusSeconds(j.path("expires_in").asLong()).minus(TOKEN_MARGIN));
        return 200;
    }

    /**
     * A customer who uses the brand's Mini Program: WeCom knows their unionid (the same WeChat user), so the contact
     * the callback records and the member the Mini Program signs in are one customer. Call before the contact's
     * callback, as WeCom knows it before it tells the suite.
     */
    Member enroll(String externalUserId) {
        String firstCode = "wxcode-" + externalUserId;
        Member m = new Member(externalUserId, firstCode, world.weChat().openidOf(firstCode),
                world.weChat().unionidOf(firstCode));
        world.weChat().contactUnionId(externalUserId, m.unionid);
        members.add(m);
        return m;
    }

    /** The member opens the Mini Program for the first time: signs in, decides on each consent, looks around. */
    void signUp(Member m, boolean marketing) {
        if (marketing) {
            consent(m, "marketing", true);
        }
        if (random.nextDouble() < 0.6) {
            consent(m, "personalization", true);
        }
        if (random.nextDouble() < 0.4) {
            consent(m, "profiling", true);
        }
        event(m, "page_view", "/pages/home", null);
    }

    /** The member withdraws marketing consent in the Mini Program's privacy page. */
    void withdrawMarketing(Member m) {
        if (m.marketing) {
            consent(m, "marketing", false);
        }
    }

    /** A visit to the Mini Program: the home page, often a product, now and then a share. */
    void visit(Member m, boolean product) {
        event(m, "page_view", "/pages/home", null);
        if (product || random.nextDouble() < 0.5) {
            event(m, "product_click", "/pages/product", PRODUCTS.get(random.nextInt(PRODUCTS.size())));
        }
        if (random.nextDouble() < 0.1) {
            event(m, "share", "/pages/product", null);
        }
    }

    /**
     * An order from the till (in a store) or the web shop, naming the customer as that source knows them: a member
     * by unionid or, once signed in, openid; anyone else by their WeCom external_userid (scanned at the till, or
     * the web shop's WeCom sign-in). A few are refunded later, a few sent twice by the source.
     *
     * @param store the store's id for an order at the till; null for the web shop
     */
    void purchase(String externalUserId, Member m, String store, double amount, String category) {
        String source = store != null ? MemberWorld.POS : MemberWorld.WEBSHOP;
        ObjectNode customer = json.createObjectNode();
        if (m == null) {
            customer.put("external_userid", externalUserId);
        } else if (m.customerId != null && random.nextDouble() < 0.5) {
            customer.put("openid", m.openid);
        } else {
            customer.put("unionid", m.unionid);
        }
        String orderId = (store != null ? "POS-" : "WEB-") + seed + "-" + (++ids);
        SentOrder o = new SentOrder(source, orderId, customer, amount, category, clock.instant(), store, m);
        count("orders_sent");
        sendOrder(o, orderBody(o, null), "order", 0);
        if (random.nextDouble() < REFUND_SHARE) {
            platform.plan(platform.later(48, 240), () -> {
                count("refunds_sent");
                double refunded = random.nextDouble() < 0.6 ? o.amount() : Math.round(o.amount() * 50) / 100.0;
                sendOrder(o, orderBody(o, refunded), "refund", 0);
            });
        } else if (random.nextDouble() < REPLAY_SHARE) {
            platform.plan(platform.later(1, 24), () -> {
                count("replays_sent");
                sendOrder(o, orderBody(o, null), "replay", 0);
            });
        }
    }

    private String orderBody(SentOrder o, Double refunded) {
        ObjectNode b = json.createObjectNode();
        b.put("order_id", o.orderId());
        b.set("customer", o.customer());
        b.put("amount", money(o.amount()));
        b.put("currency", config.membership().currency());
        b.put("at", o.at().atZone(config.timezone()).toOffsetDateTime().toString());
        if (o.store() != null) {
            b.put("store_id", o.store());
        }
        b.putArray("lines").addObject().put("sku", PRODUCTS.get(Math.floorMod(o.orderId().hashCode(), PRODUCTS.size())))
                .put("category", o.category()).put("quantity", 1).put("amount", money(o.amount()));
        if (refunded != null) {
            b.putArray("refunds").addObject().put("refund_id", "R-" + o.orderId()).put("amount", money(refunded))
                    .put("at", clock.instant().atZone(config.timezone()).toOffsetDateTime().toString());
        }
        return b.toString();
    }

    private static String money(double amount) {
        return String.format(Locale.ROOT, "%.2f", amount);
    }

    /** One POST /ingest/orders, signed; a failure (500, a crashed instance's 502) is sent again with the same body. */
    private void sendOrder(SentOrder o, String body, String what, int attempt) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        byte[] secret = world.secret(o.source()).orElseThrow();
        Map<String, String> headers = Map.of(IngestEndpoint.SOURCE_HEADER, o.source(),
                IngestEndpoint.SIGNATURE_HEADER, IngestEndpoint.signature(secret, bytes),
                "Content-Type", "application/json");
        int status;
        JsonNode reply = null;
        try {
            IngestEndpoint.Reply r = ingest.handle(new dev.siyu.core.http.HttpRequest("POST", IngestEndpoint.ORDERS, headers,
                    body, false));
            status = r.status();
            reply = read(r.body());
        } catch (InstanceCrash e) {
            platform.crashed();
            status = 502;
        }
        if (status == 200) {
            orderAnswered(o, what, attempt, reply);
        } else if (status >= 500) {
            if (attempt < ORDER_RETRIES) {
                count("orders_retried");
                platform.retry(clock.instant().plus(ORDER_RETRY_FIRST.multipliedBy(1L << attempt)),
                        () -> sendOrder(o, body, what, attempt + 1));
            } else {
                count("orders_given_up");
            }
        } else {
            count("orders_rejected_" + status);
        }
    }

    private void orderAnswered(SentOrder o, String what, int attempt, JsonNode reply) {
        String status = reply.path("status").asText();
        customersAnswered.add(reply.path("customer_id").asText());
        if ("order".equals(what) && acceptedOrders.add(o.requestId())) {
            count("orders_accepted");
        }
        if ("replay".equals(what) && "duplicate".equals(status)) {
            count("orders_replayed");
        } else if ("order".equals(what) && "duplicate".equals(status)) {
            // A retry whose first attempt was recorded before its answer was lost: points once all the same.
            count("orders_retried_answered_duplicate");
        }
        if ("refund".equals(what)) {
            counts.merge("refunds_applied", reply.path("refunds_applied").asLong(), Long::sum);
        }
        Member m = o.member();
        if (m != null) {
            m.balance = reply.path("balance").asLong(m.balance);
            if ("order".equals(what) && "recorded".equals(status) && m.balance >= 50
                    && random.nextDouble() < REDEEM_AFTER_ORDER) {
                platform.plan(platform.later(2, 72), () -> redeem(m));
            }
            if ("order".equals(what) && "recorded".equals(status) && random.nextDouble() < 0.5) {
                subscribe(m, "repurchase_reminder");
            }
        }
    }

    /**
     * The member spends points on what their balance (as last shown) seems to allow: the CNY 50 coupon (a perk,
     * through PerkPolicy) when it looks close enough, else the sample kit or gift wrapping. A refusal is counted by
     * its reason: points short, or the perk policy's verdict.
     */
    private void redeem(Member m) {
        String reward = m.balance >= 400 && random.nextDouble() < 0.5 ? "coupon-50"
                : m.balance >= 100 ? "sample-kit" : "gift-wrap";
        String requestId = nextId("rd");
        count("redemptions_requested");
        ObjectNode b = json.createObjectNode().put("request_id", requestId);
        send(m, "POST", "/miniapp/rewards/" + reward + "/redeem", b.toString(), (status, reply) -> {
            if (status == 200) {
                m.balance = reply.path("balance").asLong(m.balance);
                if (redemptionsPosted.add(requestId)) {
                    count("redemptions_posted");
                    if (random.nextDouble() < 0.5) {
                        subscribe(m, "reward_alert");
                    }
                }
                if ("duplicate".equals(reply.path("status").asText())) {
                    count("redemptions_retried_answered_duplicate");
                }
            } else if (status == 409) {
                String reason = reply.hasNonNull("verdict") ? "perk_" + reply.get("verdict").asText() : "points_short";
                refusals.merge(reason, 1L, Long::sum);
            } else {
                count("redemptions_rejected_" + status);
            }
        }, 0);
    }

    private void consent(Member m, String purpose, boolean granted) {
        ObjectNode b = json.createObjectNode().put("purpose", purpose).put("granted", granted)
                .put("policy_version", POLICY_VERSION);
        send(m, "POST", "/miniapp/consents", b.toString(), (status, reply) -> {
            if (status != 200) {
                count("consents_rejected_" + status);
                return;
            }
            count((granted ? "consents_granted." : "consents_withdrawn.") + purpose);
            if ("marketing".equals(purpose)) {
                m.marketing = granted;
            }
        }, 0);
    }

    private void event(Member m, String kind, String page, String product) {
        ObjectNode b = json.createObjectNode().put("event_id", nextId("ev")).put("kind", kind).put("page", page);
        if (product != null) {
            b.put("product_id", product);
        }
        if ("share".equals(kind)) {
            b.put("target", "friend");
        }
        count("events_sent");
        send(m, "POST", "/miniapp/events", b.toString(), (status, reply) -> count(status == 200
                ? "events_recorded" : "events_rejected_" + status), 0);
    }

    /**
     * One request of the member's Mini Program, signed in first when its session is missing or about to expire; a
     * failure (a 5xx, a crashed instance, a session refused) is sent again with the same body.
     */
    private void send(Member m, String method, String path, String body, Answer done, int attempt) {
        int status;
        JsonNode reply = null;
        try {
            status = signedIn(m) ? 200 : login(m);
            if (status == 200) {
                MemberEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest(method, path, Map.of(),
                        Map.of("Authorization", "Bearer " + m.token, "Content-Type", "application/json"), body, false));
                status = r.status();
                reply = read(r.body());
                if (status == 401) {
                    m.token = null;
                }
            }
        } catch (InstanceCrash e) {
            platform.crashed();
            status = 502;
        }
        if (status < 500 && status != 401) {
            done.accept(status, reply);
            return;
        }
        if (attempt < APP_RETRIES) {
            count("member_requests_retried");
            platform.retry(clock.instant().plus(APP_RETRY_AFTER), () -> send(m, method, path, body, done, attempt + 1));
        } else {
            count("member_requests_given_up");
        }
    }

    private boolean signedIn(Member m) {
        return m.token != null && clock.instant().isBefore(m.tokenUntil);
    }

    /** wx.login gives a new code each time, for the same WeChat user; the function exchanges it for a session. */
    private int login(Member m) {
        m.codes++;
        String code = m.codes == 1 ? m.firstCode : m.firstCode + "-" + m.codes;
        world.weChat().loginCodeIssued(code, m.firstCode);
        MemberEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest("POST", MemberEndpoint.PREFIX + "login",
                Map.of(), Map.of("Content-Type", "application/json"),
                json.createObjectNode().put("code", code).toString(), false));
        if (r.status() != 200) {
            count("logins_failed_" + r.status());
            return r.status();
        }
        JsonNode j = read(r.body());
        if (m.customerId == null) {
            count("members_signed_in");
        }
        count("logins");
        m.token = j.path("token").asText();
        m.tokenUntil = clock.instant().plusSeconds(j.path("expires_in").asLong()).minus(TOKEN_MARGIN);
        m.customerId = j.path("customer_id").asText();
        customersAnswered.add(m.customerId);
        return 200;
    }

    private String nextId(String prefix) {
        return prefix + "-" + seed + "-" + String.format(Locale.ROOT, "%07d", ++ids);
    }

    private JsonNode read(String body) {
        try {
            return body == null || body.isEmpty() ? json.createObjectNode() : json.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException("the route answered something that is not JSON: " + body, e);
        }
    }

    private void count(String what) {
        counts.merge(what, 1L, Long::sum);
    }

    // ---- results ----

    List<Member> members() {
        return List.copyOf(members);
    }

    /** What the members and sources did and were answered, by name (see the report's members section). */
    Map<String, Long> counts() {
        return new TreeMap<>(counts);
    }

    /** Redemptions refused, by reason: points_short, or perk_ and PerkPolicy's verdict. */
    Map<String, Long> refusals() {
        return new TreeMap<>(refusals);
    }

    /** The ledger request ids of the orders answered 200. */
    Set<String> acceptedOrders() {
        return Set.copyOf(acceptedOrders);
    }

    /** Every customer a login or an order was answered with. */
    Set<String> customersAnswered() {
        return Set.copyOf(customersAnswered);
    }

    /** The ledger as the function writes it, without faults: for the report, once the run is over. */
    PointsLedger ledger() {
        return world.ledger();
    }
}
