package dev.siyu.sidebar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.RoutingType;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.event.WeComEvent;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.staff.StaffSessions;
import dev.siyu.memory.MemoryPorts;
import dev.siyu.memory.MemoryQueue;
import dev.siyu.memory.MemoryTimerStore;
import dev.siyu.memory.RecordingWeComApi;
import dev.siyu.memory.VirtualClock;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The sidebar on the in-memory ports and the recording WeCom API, with the example blueprint and one customer
 * (wmAlice) added through the Package Insert code to zhangsan: what the endpoint and browser tests start from.
 */
final class SidebarWorld {
    static final ScrmConfig EXAMPLE = new ConfigLoader().load(Path.of("../../config/scrm.example.yaml"));
    static final Instant T0 = Instant.parse("2026-03-02T02:00:00Z");
    static final String STAFF = "zhangsan";
    static final String OTHER_STAFF = "wangwu";
    static final String CUSTOMER = "wmAlice";
    static final byte[] KEY = "a-test-session-key-of-32-bytes!!".getBytes(StandardCharsets.UTF_8);
    static final SidebarEndpoint.App APP = new SidebarEndpoint.App("ww-test-corp", 1000002);

    final VirtualClock clock = new VirtualClock(T0);
    final RecordingWeComApi wecom = new RecordingWeComApi(clock);
    final MemoryQueue triggers = new MemoryQueue();
    final Ports ports = MemoryPorts.create(wecom).withQueues(new MemoryQueue(), triggers, new MemoryTimerStore());
    final Engine engine = new Engine(ports, EXAMPLE, 1, null, clock, Engine.Settings.inline());
    final SidebarEndpoint endpoint;
    private final ObjectMapper json = new ObjectMapper();

    SidebarWorld() {
        this(KEY);
    }

    SidebarWorld(byte[] sessionKey) {
        endpoint = new SidebarEndpoint(() -> engine, new StaffSessions(sessionKey, clock), APP, clock);
        ports.channels().save(EXAMPLE.tenant(), new ChannelCode("Package Insert - East China Warehouse",
                RoutingType.AUTO_ASSIGN, "parcel_card_east", "cfg-east", "https://qr", List.of(STAFF),
                "sales_team_east", null));
        addCustomer(CUSTOMER);
    }

    /** A customer who scanned the Package Insert code and added zhangsan. */
    void addCustomer(String externalUserId) {
        engine.callbacks().process(new WeComEvent.ContactAdded(STAFF, externalUserId, "parcel_card_east",
                "wc-" + externalUserId, false, clock.instant()));
    }

    /** A journey left zhangsan a 1-on-1 message for the customer on his desk: the task. */
    dev.siyu.core.desk.DeskTask deskTask(String touchId, String title, String text) {
        // As a journey step leaves it: the touch record (value content) first, then the task.
        ports.counters().record(EXAMPLE.tenant(), new dev.siyu.core.port.TouchRecord(customerId(), touchId,
                clock.instant(), dev.siyu.core.gate.Channel.PRIVATE_MESSAGE, dev.siyu.core.gate.ContentClass.VALUE,
                true, 1, ""), EXAMPLE.timezone());
        return ports.desk().create(EXAMPLE.tenant(), dev.siyu.core.desk.DeskTask.open(customerId(), CUSTOMER, STAFF,
                dev.siyu.core.desk.DeskTask.MESSAGE, title, text, List.of(), touchId, clock.instant(),
                clock.instant().plus(java.time.Duration.ofDays(2))));
    }

    CustomerProfile profile() {
        return engine.ports().customers().profile(EXAMPLE.tenant(), customerId()).orElseThrow();
    }

    String customerId() {
        return new dev.siyu.core.profile.CustomerLookup(engine.ports().customers()).customerIdOf(EXAMPLE.tenant(),
                CUSTOMER);
    }

    List<TimelineEvent> timeline() {
        return engine.ports().customers().timeline(EXAMPLE.tenant(), customerId());
    }

    /** Opens the page as WeCom does for staffUserId and exchanges the code: the session token. */
    String signIn(String staffUserId) {
        SidebarEndpoint.Reply r = post("session", null, Map.of("code", wecom.oauthCode(staffUserId)));
        if (r.status() != 200) {
            throw new AssertionError("sign-in failed: " + r.status() + " " + r.text());
        }
        return read(r).get("token").asText();
    }

    SidebarEndpoint.Reply get(String route, String token, Map<String, String> query) {
        return endpoint.handle(new SidebarEndpoint.Request("GET", SidebarEndpoint.API + route, query,
                token == null ? Map.of() : Map.of("Authorization", "Bearer " + token), null, false));
    }

    SidebarEndpoint.Reply post(String route, String token, Object body) {
        try {
            return endpoint.handle(new SidebarEndpoint.Request("POST", SidebarEndpoint.API + route, Map.of(),
                    token == null ? Map.of() : Map.of("authorization", "Bearer " + token),
                    json.writeValueAsString(body), false));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    JsonNode read(SidebarEndpoint.Reply reply) {
        try {
            return json.readTree(reply.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
