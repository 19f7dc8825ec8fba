package dev.siyu.core.callback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.JobCatalog;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.miniapp.MemberCodes;
import dev.siyu.core.miniapp.MemberEndpoint;
import dev.siyu.core.miniapp.PhoneSeal;
import dev.siyu.core.miniapp.SessionTokens;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.ProfileMerge;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.schedule.Reconciler;
import dev.siyu.memory.CallLog;
import dev.siyu.memory.MemoryMemberDetailsStore;
import dev.siyu.memory.MemoryMiniProgram;
import dev.siyu.memory.MemoryPointsLedger;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTenantLog;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import dev.siyu.memory.faults.InstanceCrash;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * One person who is both a WeCom contact and a Mini Program member ends as one customer holding the WeCom
 * relationship, and the contact_added effects (welcome, the activation journey, the channel's tags) happen once,
 * in whatever order the contact's callback, its retries, the reconciler's repair and the member's sign-in come,
 * WeCom's contact detail failing with 45009 on the way and the process dying inside the merge.
 */
class OneCustomerAcrossChannelsTest {
    private static final ScrmConfig CONFIG = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    private static final String TENANT = CONFIG.tenant();
    private static final String ACTIVATION = "new_customer_activation";
    private static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    private static final byte[] TOKEN_KEY = "test-session-token-key-of-32-bytes-or-more".getBytes(StandardCharsets.UTF_8);
    private static final IdentityKeys KEYS = new IdentityKeys("0123456789abcdef-test-key".getBytes(StandardCharsets.UTF_8));
    /** The member's wx.login code: the in-memory Mini Program derives the unionid from it, as the stub does. */
    private static final String CODE = "code-li-lei";
    private static final String UNIONID = MemoryMiniProgram.unionidOf(CODE);
    private static final String EXT = "wmLiLei";

    private final VirtualClock clock = new VirtualClock(T0);
    private final RecordingWeComApi recording = new RecordingWeComApi(clock);
    /** WeCom's contact detail answers 45009 (API frequency limit) this many more times. */
    private final AtomicInteger contactDetailLimited = new AtomicInteger();
    private final MemoryQueue triggers = new MemoryQueue();
    /** Armed faults: the process dies at the first store call or trigger send matching. */
    private Predicate<Object[]> crashStoreUpdate = args -> false;
    private Predicate<JourneyQueue.JourneyTrigger> crashSend = t -> false;
    private final Ports ports;
    private final Engine engine;
    private final MemberEndpoint miniapp;
    private final MemberServices members;
    private int started;
    /** WeCom's CreateTime of the add. */
    private Instant addedAt = T0;
    private final List<CallLog.Call> calls = new java.util.ArrayList<>();

    OneCustomerAcrossChannelsTest() {
        Ports memory = MemoryPorts.create(wecom()).withQueues(new MemoryQueue(), triggers, new MemoryTimerStore());
        CustomerStore customers = crashing(memory.customers());
        JourneyQueue queue = trigger -> {
            if (crashSend.test(trigger)) {
                crashSend = t -> false;
                throw new InstanceCrash("died sending " + trigger.kind() + " for " + trigger.customerId());
            }
            triggers.enqueue(trigger);
        };
        ports = new Ports(customers, memory.snapshots(), memory.profiles(), memory.runs(), memory.counters(),
                memory.decisions(), memory.groups(), memory.channels(), memory.loads(), memory.transfers(),
                memory.tenantLog(), memory.timers(), memory.steps(), queue, memory.configs(), memory.wecom(),
                memory.media(), memory.desk(), memory.subscriptions(), memory.miniProgram());
        ports.channels().save(TENANT, new ChannelCode("Package Insert - East China Warehouse", RoutingType.AUTO_ASSIGN,
                "parcel_card_east", "cfg-east", "https://qr", List.of("zhangsan"), "sales_team_east", null));
        // No step runs here, only starts: the activation journey has no filter, and the filters of other journeys
        // a contact_added starts read as not holding (shared/conditions is not on this module's path).
        engine = new Engine(ports, CONFIG, 1, expression -> vars -> false, clock, Engine.Settings.inline());
        members = new MemberServices(engine, new MemoryPointsLedger(customers), KEYS);
        miniapp = new MemberEndpoint(() -> members, new MemoryMemberDetailsStore(), new MemoryMiniProgram(clock),
                new SessionTokens(TOKEN_KEY, Duration.ofHours(2)),
                new PhoneSeal("test-member-data-key-0001".getBytes(StandardCharsets.UTF_8)), KEYS,
                new MemberCodes(TOKEN_KEY));
    }

    /** The recording WeCom, whose contact detail names the member's unionid, or answers 45009 while limited. */
    private WeComApi wecom() {
        return (WeComApi) Proxy.newProxyInstance(WeComApi.class.getClassLoader(), new Class<?>[] {WeComApi.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("contact")) {
                        if (contactDetailLimited.getAndUpdate(v -> Math.max(0, v - 1)) > 0) {
                            throw new WeComApiException(45009, "api freq out of limit", null);
                        }
                        return new WeComApi.ContactDetail((String) args[0], "Li Lei", "https://avatar/li", UNIONID, 1, 1);
                    }
                    return invoke(method, recording, args);
                });
    }

    /** The store, dying (no compensation runs) at the first update the armed predicate names. */
    private CustomerStore crashing(CustomerStore store) {
        return (CustomerStore) Proxy.newProxyInstance(CustomerStore.class.getClassLoader(),
                new Class<?>[] {CustomerStore.class}, (proxy, method, args) -> {
                    if (method.getName().equals("update") && args != null && args.length == 4
                            && crashStoreUpdate.test(args)) {
                        crashStoreUpdate = a -> false;
                        throw new InstanceCrash("died at " + method.getName() + " of " + args[1]);
                    }
                    return invoke(method, store, args);
                });
    }

    private static Object invoke(java.lang.reflect.Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static Predicate<Object[]> writing(String kind) {
        return args -> ((List<?>) args[3]).stream().anyMatch(e -> ((TimelineEvent) e).kind().equals(kind));
    }

    private WeComEvent.ContactAdded added() {
        recording.welcomeCodeIssued("wc-" + EXT, addedAt);
        return new WeComEvent.ContactAdded("zhangsan", EXT, "parcel_card_east", "wc-" + EXT, false, addedAt);
    }

    /** POST /miniapp/login as the Mini Program sends it; the customer id it answers. */
    private String signIn() {
        MemberEndpoint.Reply r = miniapp.handle(new dev.siyu.core.http.HttpRequest("POST", "/miniapp/login", Map.of(),
                new HashMap<>(Map.of("content-type", "application/json")), "{\"code\":\"" + CODE + "\"}", false));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        try {
            return new ObjectMapper().readTree(r.body()).path("customer_id").asText();
        } catch (java.io.IOException e) {
            throw new AssertionError(r.body(), e);
        }
    }

    private Reconciler.Summary reconcile() {
        return (Reconciler.Summary) JobCatalog.named(JobCatalog.RECONCILE).orElseThrow().factory().apply(engine).run();
    }

    /** The journey worker takes the triggers sent since it last ran (each delivered once here). */
    private void runTriggers() {
        List<MemoryQueue.Sent> sent = triggers.sent();
        for (; started < sent.size(); started++) {
            engine.journeys().starter.onEvent(sent.get(started).trigger());
        }
    }

    private List<JourneyRun> activation(String customerId) {
        return ports.runs().runs(TENANT, customerId).stream().filter(r -> r.journey().equals(ACTIVATION)).toList();
    }

    private long welcomesAccepted() {
        calls.addAll(recording.drain());
        return calls.stream()
                .filter(c -> c.api().equals("externalcontact/send_welcome_msg") && c.errcode() == 0).count();
    }

    /** What a person who is one customer shows, whoever found them first. */
    private void assertOneCustomer(String member) {
        CustomerProfile p = ports.customers().profile(TENANT, member).orElseThrow();
        assertThat(p.mergedInto()).as("the member's customer is the live one").isEmpty();
        assertThat(p.externalUserId()).isEqualTo(EXT);
        assertThat(p.activeStaff()).containsExactly("zhangsan");
        assertThat(p.relationships().get("zhangsan").since()).isEqualTo(addedAt);
        assertThat(p.tags()).contains("package_insert");
        assertThat(ports.customers().timeline(TENANT, member).stream().filter(e -> e.kind().equals("contact_added")))
                .as("the add once on the person's timeline").hasSize(1);
        assertThat(activation(member)).as("one activation run, the one the contact's add names").singleElement()
                .satisfies(r -> assertThat(r.runId()).isEqualTo("contact_added-" + addedAt.toEpochMilli()));
        if (!member.equals("wx-" + EXT)) {
            assertThat(activation("wx-" + EXT)).as("none on an absorbed profile").isEmpty();
        }
        assertThat(welcomesAccepted()).as("one welcome").isEqualTo(1);
        assertThat(new dev.siyu.core.profile.CustomerLookup(ports.customers()).byExternalUserId(TENANT, EXT))
                .as("the next callback finds the member").hasValueSatisfying(c -> assertThat(c.customerId()).isEqualTo(member));
    }

    @Test
    void aMemberWhoSignsInWhileTheContactDetailFailsGetsTheActivationJourneyOnTheirCustomer() {
        // GIVEN Zhang San adds Li Lei while WeCom's contact detail answers 45009: recorded WeCom-first, unionid unknown
        contactDetailLimited.set(1);
        engine.callbacks().process(added());
        // AND at that moment Li Lei opens the Mini Program: the login creates the member by unionid
        clock.advance(Duration.ofSeconds(2));
        String member = signIn();
        assertThat(member).isNotEqualTo("wx-" + EXT);
        // WHEN the reconciler fetches the contact again, finds the unionid owned and merges, and only then the
        // journey worker takes the contact's trigger (a delayed delivery)
        clock.advance(Duration.ofMinutes(3));
        Reconciler.Summary s = reconcile();
        runTriggers();
        clock.advance(Duration.ofMinutes(3));
        reconcile();
        runTriggers();
        // THEN Li Lei is one customer, the member's, with the relationship, and in the activation journey once
        assertThat(s.merged()).isEqualTo(1);
        assertOneCustomer(member);
        assertThat(ports.customers().profile(TENANT, "wx-" + EXT).orElseThrow().mergedInto()).contains(member);
        assertThat(((MemoryTenantLog) ports.tenantLog()).of(ProfileMerge.AUDIT_SUBJECT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("from", "wx-" + EXT).containsEntry("into", member)
                        .containsEntry("by", "unionid"));
    }

    @Test
    void aContactWhoseActivationStartedBeforeTheMergeIsNotStartedAgainOnTheMember() {
        // GIVEN the contact recorded WeCom-first and its activation started there at once
        contactDetailLimited.set(1);
        engine.callbacks().process(added());
        runTriggers();
        assertThat(activation("wx-" + EXT)).hasSize(1);
        // WHEN Li Lei signs in and the repair merges the contact into the member
        String member = signIn();
        clock.advance(Duration.ofMinutes(3));
        reconcile();
        runTriggers();
        // THEN the journey is not started a second time for the person (its first step would reach them twice)
        assertThat(activation(member)).isEmpty();
        assertThat(activation("wx-" + EXT)).hasSize(1);
        assertThat(ports.customers().profile(TENANT, member).orElseThrow().activeStaff()).containsExactly("zhangsan");
    }

    @Test
    void aCallbackRetriedAfterTheMemberSignedInJoinsTheContactToTheMember() {
        // GIVEN the contact detail fails and the process dies handing the trigger off (the claim stays leased)
        contactDetailLimited.set(1);
        crashSend = t -> t.kind().equals("contact_added");
        assertThat(catchThrowable(() -> engine.callbacks().process(added()))).isInstanceOf(InstanceCrash.class);
        // AND Li Lei signs in meanwhile
        clock.advance(Duration.ofSeconds(3));
        String member = signIn();
        // WHEN WeCom retries after the lease ran out (the detail now names the unionid), then redelivers it again
        clock.advance(Duration.ofSeconds(7));
        engine.callbacks().process(added());
        assertThat(engine.callbacks().process(added()).duplicate()).isTrue();
        clock.advance(Duration.ofMinutes(3));
        reconcile();
        runTriggers();
        // THEN one customer, one activation run, one welcome
        assertOneCustomer(member);
    }

    @Test
    void aMemberWhoLaterAddsAnAdvisorStartsTheActivationJourneyOnTheirCustomer() {
        // GIVEN Li Lei has been a Mini Program member for two days
        String member = signIn();
        clock.advance(Duration.ofDays(2));
        addedAt = clock.instant();
        // WHEN Li Lei adds Zhang San, WeCom's contact detail answering 45009 the first time
        contactDetailLimited.set(1);
        engine.callbacks().process(added());
        clock.advance(Duration.ofMinutes(3));
        reconcile();
        runTriggers();
        // THEN the add lands on the member's customer and the activation journey starts there, once
        assertOneCustomer(member);
    }

    @Test
    void aContactFirstWhoSignsInLaterIsTheSameCustomer() {
        // GIVEN Zhang San adds Li Lei and WeCom names the unionid at once
        engine.callbacks().process(added());
        runTriggers();
        // WHEN Li Lei signs in to the Mini Program a day later
        clock.advance(Duration.ofDays(1));
        String member = signIn();
        // THEN the login finds the contact's customer: nothing to merge
        assertThat(member).isEqualTo("wx-" + EXT);
        assertOneCustomer(member);
    }

    @Test
    void aMergeCutShortBeforeTheSurvivorsWriteIsFinishedByTheNextRepair() {
        // GIVEN the contact recorded WeCom-first, and Li Lei signed in
        contactDetailLimited.set(1);
        engine.callbacks().process(added());
        String member = signIn();
        // WHEN the repair's process dies after marking the contact merged, before the member gains it
        crashStoreUpdate = writing("customer_merged");
        clock.advance(Duration.ofMinutes(3));
        assertThat(catchThrowable(this::reconcile)).isInstanceOf(InstanceCrash.class);
        assertThat(ports.customers().profile(TENANT, "wx-" + EXT).orElseThrow().mergedInto()).contains(member);
        runTriggers();
        // AND the next run of the reconciler comes
        clock.advance(Duration.ofHours(1));
        reconcile();
        runTriggers();
        clock.advance(Duration.ofMinutes(3));
        reconcile();
        runTriggers();
        // THEN the merge is whole and the person is in the activation journey once
        assertOneCustomer(member);
    }

    @Test
    void aMergeWhoseTriggerDiedOnTheWayIsHandedOffByTheReconciler() {
        // GIVEN the contact recorded WeCom-first (its trigger not yet taken), and Li Lei signed in
        contactDetailLimited.set(1);
        engine.callbacks().process(added());
        String member = signIn();
        // WHEN the repair merges and dies sending the member's trigger
        crashSend = t -> t.customerId().equals(member);
        clock.advance(Duration.ofMinutes(3));
        assertThat(catchThrowable(this::reconcile)).isInstanceOf(InstanceCrash.class);
        runTriggers();
        assertThat(activation(member)).isEmpty();
        // AND the reconciler runs again later
        clock.advance(Duration.ofMinutes(3));
        reconcile();
        runTriggers();
        clock.advance(Duration.ofHours(1));
        reconcile();
        runTriggers();
        // THEN the noted trigger reached the member's customer once
        assertOneCustomer(member);
    }

    /** An order from the POS naming the customer by the given identities (JSON members of "customer"). */
    private dev.siyu.core.ingest.Order order(String id, String customer) {
        String body = "{\"order_id\":\"" + id + "\",\"customer\":{" + customer + "},\"amount\":\"100.00\","
                + "\"currency\":\"CNY\",\"at\":\"" + clock.instant() + "\",\"lines\":[{\"sku\":\"SK-1\","
                + "\"category\":\"skincare\",\"quantity\":1,\"amount\":\"100.00\"}]}";
        return new dev.siyu.core.ingest.IngestJson(KEYS, "CNY").order("pos", body.getBytes(StandardCharsets.UTF_8),
                clock.instant());
    }

    @Test
    void aContactJoinedToAnEarlierMemberByAPhoneIsMergedByTheSameRules() {
        // GIVEN a POS member known by a phone, and a week later Zhang San adds Li Lei (WeCom names the unionid)
        String member = members.orders().ingest(order("POS-1", "\"pos_member_id\":\"P-1\",\"phone\":\"+8613900139001\""))
                .customerId();
        clock.advance(Duration.ofDays(7));
        addedAt = clock.instant();
        engine.callbacks().process(added());
        // WHEN, before the journey worker took the contact's trigger, an order names the contact and the phone
        clock.advance(Duration.ofMinutes(1));
        members.orders().ingest(order("POS-2", "\"external_userid\":\"" + EXT + "\",\"phone\":\"+8613900139001\""));
        runTriggers();
        // THEN the member known first holds the contact as a WeCom merge would leave it, activation included
        assertOneCustomer(member);
        assertThat(((MemoryTenantLog) ports.tenantLog()).of(ProfileMerge.AUDIT_SUBJECT)).singleElement()
                .satisfies(e -> assertThat(e.details()).containsEntry("from", "wx-" + EXT).containsEntry("into", member)
                        .containsEntry("by", "phone"));
    }
}
