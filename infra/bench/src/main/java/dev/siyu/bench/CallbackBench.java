package dev.siyu.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.engine.Engine;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.SignedCallbacks;
import dev.siyu.embedded.StackPorts;
import dev.siyu.core.engine.Ports;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.CountingDynamoDb;
import dev.siyu.store.DynamoPorts;
import dev.siyu.store.ItemWrites;
import dev.siyu.wecom.WxJavaWeComApi;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.CallbackVerifier;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * {@code ./siyu bench callback}: the callback endpoint in this JVM (no Lambda process, no HTTP in
 * front) against DynamoDB Local, ElasticMQ and the WeCom stub, one new customer per event. The
 * latency is the handler's own; the capacity units are what DynamoDB reported, so they hold in AWS.
 */
public final class CallbackBench {
    public static final double TARGET_P99_MS = 20;
    /** 5 until issue 10: the sixth is the new profile's entry in the profiles index the daily jobs read. */
    public static final double TARGET_WCU = 6;
    public static final double TARGET_RCU = 2;
    /** One tenant's design load (issue 10): callbacks per second the table must take with no item over 500 writes/s. */
    public static final double DESIGN_CALLBACKS_PER_SECOND = 1000;

    public record Result(int events, int warmup, double p50Ms, double p90Ms, double p99Ms, double maxMs, double eventsPerSecond,
                  double rcuPerEvent, double wcuPerEvent, double dynamoRequestsPerEvent, double wecomCallsPerEvent,
                  int failed, double dynamoRoundTripP50Ms, String hottestItem, double hottestItemWritesPerEvent,
                  double hottestItemWritesPerSecond, double hottestItemWritesPerSecondAtDesignLoad) {
    }

    private CallbackBench() {
    }

    public static int run(List<String> argv, PrintStream out, Path root) {
        CliArgs args = CliArgs.parse(argv, Set.of("json"), Set.of("events", "warmup", "config"));
        int events = args.integer("events", 2000, 1, 1_000_000);
        int warmup = args.integer("warmup", 300, 0, 1_000_000);
        boolean json = args.flag("json");
        Blueprint blueprint = Blueprint.read(args.path("config", root, Blueprint.DEFAULT));
        LocalEnv env = LocalEnv.load(root, System.getenv());
        // One INFO line per callback would cost more than some callbacks and bury the result.
        java.util.logging.Logger quiet = java.util.logging.Logger.getLogger("dev.siyu");
        quiet.setLevel(java.util.logging.Level.WARNING);
        Result r;
        HotItems hot;
        try (EmbeddedStack stack = EmbeddedStack.start(StackPorts.EPHEMERAL, env.wecom(), blueprint)) {
            if (!json) {
                out.println("stack up; " + warmup + " warm-up and " + events + " measured new contacts, in process ...");
            }
            ItemWrites writes = new ItemWrites();
            r = measure(stack, events, warmup, writes);
            hot = HotItems.of(writes, r.events(), r.events() / r.eventsPerSecond(), DESIGN_CALLBACKS_PER_SECOND);
        }
        if (json) {
            ObjectMapper m = new ObjectMapper();
            ObjectNode o = m.valueToTree(r);
            ObjectNode targets = o.putObject("targets");
            targets.put("p99Ms", TARGET_P99_MS).put("wcuPerEvent", TARGET_WCU).put("rcuPerEvent", TARGET_RCU);
            o.put("meetsTargets", meets(r));
            out.println(o.toPrettyString());
        } else {
            out.printf("latency  p50 %.2f ms  p90 %.2f ms  p99 %.2f ms  max %.2f ms   (target p99 <= %.0f ms: %s)%n",
                    r.p50Ms(), r.p90Ms(), r.p99Ms(), r.maxMs(), TARGET_P99_MS, ok(r.p99Ms() <= TARGET_P99_MS));
            out.printf("throughput %.0f events/s (one thread)%n", r.eventsPerSecond());
            out.printf("DynamoDB %.2f WCU and %.2f RCU per new contact   (targets <= %.0f WCU: %s, <= %.0f RCU: %s); %.2f requests%n",
                    r.wcuPerEvent(), r.rcuPerEvent(), TARGET_WCU, ok(r.wcuPerEvent() <= TARGET_WCU), TARGET_RCU,
                    ok(r.rcuPerEvent() <= TARGET_RCU), r.dynamoRequestsPerEvent());
            out.printf("WeCom stub calls %.2f per new contact%n", r.wecomCallsPerEvent());
            out.printf("DynamoDB Local round trip p50 %.2f ms (a new contact waits for 2 in a row)%n", r.dynamoRoundTripP50Ms());
            hot.print(out, "callback");
            if (r.failed() > 0) {
                out.println("FAILED replies: " + r.failed());
            }
        }
        return r.failed() == 0 ? 0 : 1;
    }

    public static boolean meets(Result r) {
        return r.p99Ms() <= TARGET_P99_MS && r.wcuPerEvent() <= TARGET_WCU && r.rcuPerEvent() <= TARGET_RCU && r.failed() == 0;
    }

    private static String ok(boolean met) {
        return met ? "ok" : "MISSED";
    }

    public static Result measure(EmbeddedStack stack, int events, int warmup) {
        return measure(stack, events, warmup, new ItemWrites());
    }

    /** @param writes counts the measured events' writes per item (reset after the warm-up) */
    public static Result measure(EmbeddedStack stack, int events, int warmup, ItemWrites writes) {
        CapacityMeter meter = new CapacityMeter();
        Ports ports = DynamoPorts.create(new CountingDynamoDb(stack.dynamoDb, writes), stack.aws.sqs(), stack.storeSettings,
                new WxJavaWeComApi(stack.wecomSettings), meter);
        CallbackEndpoint endpoint = new CallbackEndpoint(new CallbackVerifier(stack.wecomSettings),
                new Engine(ports, stack.applied.config(), stack.applied.version(), null, Clock.systemUTC(),
                        Engine.Settings.pooled()).callbacks());
        // Encryption happens in WeCom, not in the handler: every request is built before the clock starts.
        List<CallbackEndpoint.Request> warm = requests(stack, warmup, "wmbenchw");
        List<CallbackEndpoint.Request> measured = requests(stack, events, "wmbench");
        for (CallbackEndpoint.Request r : warm) {
            endpoint.handle(r);
        }
        double roundTrip = ms(dynamoRoundTripP50(stack));
        writes.reset();
        CapacityMeter.Snapshot before = meter.snapshot();
        int callsBefore = stack.stub.calls().size();
        long[] nanos = new long[events];
        int failed = 0;
        long start = System.nanoTime();
        for (int i = 0; i < events; i++) {
            long t = System.nanoTime();
            CallbackEndpoint.Reply reply = endpoint.handle(measured.get(i));
            nanos[i] = System.nanoTime() - t;
            if (reply.status() != 200 || !"success".equals(reply.body())) {
                failed++;
            }
        }
        long total = System.nanoTime() - start;
        CapacityMeter.Snapshot used = meter.snapshot().minus(before);
        int calls = stack.stub.calls().size() - callsBefore;
        Arrays.sort(nanos);
        HotItems hot = HotItems.of(writes, events, total / 1e9, DESIGN_CALLBACKS_PER_SECOND);
        String hottest = hot.items().isEmpty() ? "" : hot.items().get(0).key();
        return new Result(events, warmup, ms(percentile(nanos, 50)), ms(percentile(nanos, 90)), ms(percentile(nanos, 99)),
                ms(nanos[nanos.length - 1]), events / (total / 1e9), used.reads() / events, used.writes() / events,
                (double) used.requests() / events, (double) calls / events, failed, roundTrip, hottest,
                hot.items().isEmpty() ? 0 : hot.perEvent(hot.items().get(0)), hot.hottestMeasuredPerSecond(),
                hot.hottestAtDesignLoad());
    }

    /**
     * One GetItem against DynamoDB Local, the floor under the handler's latency: a new contact waits
     * for two table round trips one after the other (the dedup claim, with the reads and the unionid
     * claim beside it; then the record, with the counters beside it).
     */
    private static long dynamoRoundTripP50(EmbeddedStack stack) {
        long[] nanos = new long[200];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            stack.aws.dynamoDb().getItem(b -> b.tableName(stack.storeSettings.tableName()).key(java.util.Map.of(
                    "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("BENCH#ROUND_TRIP"),
                    "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("PROBE"))));
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return percentile(nanos, 50);
    }

    /** New customers spread over every channel code, each callback naming a staff member the code routes to. */
    private static List<CallbackEndpoint.Request> requests(EmbeddedStack stack, int count, String prefix) {
        SignedCallbacks signer = new SignedCallbacks(stack.wecomSettings);
        List<ChannelCode> codes = stack.applied.channels();
        String corp = stack.wecomSettings.corpId();
        List<CallbackEndpoint.Request> list = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ChannelCode code = codes.get(i % codes.size());
            String staff = code.staff().get((i / codes.size()) % code.staff().size());
            String customer = prefix + i;
            EncryptedCallback c = signer.encrypt(CallbackXml.contactAdded(corp, staff, customer, code.state(),
                    "WELCOME-" + customer, Instant.now()));
            list.add(new CallbackEndpoint.Request("POST", c.query(), c.body(), false));
        }
        return list;
    }

    private static long percentile(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
