package dev.siyu.bench;

import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestEndpoint;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.member.MemberServices;
import dev.siyu.core.member.PointsAccount;
import dev.siyu.core.member.PointsRules;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoCustomerStore;
import dev.siyu.store.DynamoPointsLedger;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * {@code ./siyu bench ingest}: POST /ingest/orders through the endpoint in this JVM (signature, validation,
 * identity, ledger, profile, timeline, trigger; no Lambda process, no HTTP in front) against DynamoDB Local,
 * ElasticMQ and the WeCom stub. Measures a known member's order (the common case) and a new customer's first
 * order, the write units each costs, warm redemption latency, and 100 redemptions of one balance at once.
 */
public final class IngestBench {
    public static final double TARGET_WCU_PER_ORDER = 6;

    private IngestBench() {
    }

    public record Latency(double p50Ms, double p99Ms, double maxMs) { }

    public static int run(List<String> argv, PrintStream out, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("orders", "warmup", "config"));
        int orders = args.integer("orders", 1000, 10, 1_000_000);
        int warmup = args.integer("warmup", 300, 0, 1_000_000);
        Blueprint blueprint = Blueprint.read(args.path("config", root, Blueprint.DEFAULT));
        LocalEnv env = LocalEnv.load(root, System.getenv());
        java.util.logging.Logger.getLogger("dev.siyu").setLevel(java.util.logging.Level.WARNING);
        byte[] secret = env.get("SIYU_INGEST_SECRET_POS").getBytes(StandardCharsets.UTF_8);
        IdentityKeys keys = new IdentityKeys(env.get("SIYU_IDENTITY_HASH_KEY").getBytes(StandardCharsets.UTF_8));
        try (EmbeddedStack stack = EmbeddedStack.start(StackPorts.EPHEMERAL, env.wecom(), blueprint)) {
            CapacityMeter meter = new CapacityMeter();
            Ports ports = stack.ports(meter);
            Engine engine = new Engine(ports, stack.applied.config(), stack.applied.version(), null, Clock.systemUTC(),
                    Engine.Settings.pooled());
            DynamoPointsLedger ledger = new DynamoPointsLedger(stack.dynamoDb, stack.storeSettings.tableName(), meter,
                    ports.customers());
            MemberServices members = new MemberServices(engine, ledger, keys);
            IngestEndpoint endpoint = new IngestEndpoint(s -> s.equals("pos") ? Optional.of(secret) : Optional.empty(),
                    () -> members);
            out.println("stack up; " + warmup + " warm-up orders, then " + orders + " orders of known members and "
                    + Math.max(10, orders / 5) + " first orders, in process ...");

            for (int i = 0; i < warmup; i++) {
                post(endpoint, secret, "W-" + i, "BM-" + (i % Math.max(1, Math.min(warmup, 200))), "128.00");
            }
            int members200 = 200;
            for (int i = 0; i < members200; i++) {
                post(endpoint, secret, "K0-" + i, "BK-" + i, "99.00");
            }
            CapacityMeter.Snapshot before = meter.snapshot();
            Latency known = time(orders, i -> post(endpoint, secret, "K-" + i, "BK-" + (i % members200), "388.00"));
            CapacityMeter.Snapshot knownUsed = meter.snapshot().minus(before);
            int firsts = Math.max(10, orders / 5);
            before = meter.snapshot();
            Latency first = time(firsts, i -> post(endpoint, secret, "N-" + i, "BN-" + i, "388.00"));
            CapacityMeter.Snapshot firstUsed = meter.snapshot().minus(before);

            String member = members.orders().ingest(members.json().order("pos", order("R-0", "BR-0", "5000.00")
                    .getBytes(StandardCharsets.UTF_8), Instant.now())).customerId();
            Latency redeem = time(200, i -> members.points().redeem(stack.tenant(), member, "bench-r-" + i, 1, "sticker",
                    Instant.now()));

            out.printf("order ingest, known member   p50 %.2f ms  p99 %.2f ms  max %.2f ms   %.2f WCU (Local) = %.2f WCU on "
                            + "DynamoDB, %.2f RCU, %.2f requests per order   (target <= %.0f WCU: %s)%n", known.p50Ms(),
                    known.p99Ms(), known.maxMs(), knownUsed.writes() / orders, knownUsed.writes() / orders + 2,
                    knownUsed.reads() / orders, (double) knownUsed.requests() / orders, TARGET_WCU_PER_ORDER,
                    knownUsed.writes() / orders + 2 <= TARGET_WCU_PER_ORDER ? "ok" : "MISSED");
            out.printf("order ingest, new customer   p50 %.2f ms  p99 %.2f ms  max %.2f ms   %.2f WCU as DynamoDB Local "
                            + "reports it, %.2f RCU, %.2f requests per order (alias claim, transaction with the new profile "
                            + "and its index entry, purchase and first_purchase events)%n", first.p50Ms(), first.p99Ms(),
                    first.maxMs(), firstUsed.writes() / firsts, firstUsed.reads() / firsts,
                    (double) firstUsed.requests() / firsts);
            out.println("  (a known member's order: DynamoDB Local reports the 2-item transaction of ledger entry and profile "
                    + "as 2 units, DynamoDB charges 4, hence +2)");
            out.printf("redemption, one at a time    p50 %.2f ms  p99 %.2f ms  max %.2f ms%n", redeem.p50Ms(), redeem.p99Ms(),
                    redeem.maxMs());
            race(stack, members, out);
        }
        return 0;
    }

    /** 100 redemptions of 15 points on a balance of 1000, all at once: 66 succeed, the balance ends at 10. */
    private static void race(EmbeddedStack stack, MemberServices members, PrintStream out) throws Exception {
        String member = members.orders().ingest(members.json().order("pos", order("RACE-0", "BRACE-0", "1000.00")
                .getBytes(StandardCharsets.UTF_8), Instant.now())).customerId();
        // Without the production 2 s attempt timeout: DynamoDB Local runs transactions one at a time.
        try (DynamoDbClient patient = DynamoDbClient.builder().endpointOverride(stack.dynamo.endpoint())
                .region(Region.of(stack.storeSettings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            CapacityMeter meter = new CapacityMeter();
            PointsAccount points = new PointsAccount(new DynamoPointsLedger(patient, stack.storeSettings.tableName(), meter,
                    new DynamoCustomerStore(patient, stack.storeSettings.tableName(), meter)),
                    new PointsRules(stack.applied.config().membership()));
            ExecutorService pool = Executors.newFixedThreadPool(100);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<PointsLedger.Result>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                String request = "race-" + i;
                results.add(pool.submit(() -> {
                    go.await();
                    return points.redeem(stack.tenant(), member, request, 15, "tote_bag", Instant.now());
                }));
            }
            long t = System.nanoTime();
            go.countDown();
            int posted = 0;
            int retries = 0;
            for (Future<PointsLedger.Result> f : results) {
                posted += f.get().outcome() == PointsLedger.Outcome.POSTED ? 1 : 0;
                retries += f.get().conflicts();
            }
            double wall = (System.nanoTime() - t) / 1e6;
            pool.shutdown();
            long balance = stack.customers.profile(stack.tenant(), member).orElseThrow().activity().points().balance();
            out.printf("100 concurrent redemptions   %.0f ms wall, %d retries on conflict, %d posted, balance %d "
                    + "(expected 66 posted, 10 left)%n", wall, retries, posted, balance);
        }
    }

    private static String order(String id, String member, String amount) {
        return "{\"order_id\":\"" + id + "\",\"customer\":{\"pos_member_id\":\"" + member + "\"},\"amount\":\"" + amount
                + "\",\"currency\":\"CNY\",\"at\":\"" + Instant.now().minusSeconds(5) + "\",\"lines\":[{\"sku\":\"SERUM-30ML\","
                + "\"category\":\"skincare\",\"quantity\":1,\"amount\":\"" + amount + "\"}]}";
    }

    private static void post(IngestEndpoint endpoint, byte[] secret, String id, String member, String amount) {
        String body = order(id, member, amount);
        IngestEndpoint.Reply r = endpoint.handle(new dev.siyu.core.http.HttpRequest("POST", IngestEndpoint.ORDERS, Map.of(
                "X-Siyu-Source", "pos", "X-Siyu-Signature", IngestEndpoint.signature(secret,
                        body.getBytes(StandardCharsets.UTF_8))), body, false));
        if (r.status() != 200) {
            throw new IllegalStateException("order " + id + " answered " + r.status() + ": " + r.body());
        }
    }

    private static Latency time(int n, java.util.function.IntConsumer call) {
        long[] nanos = new long[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            call.accept(i);
            nanos[i] = System.nanoTime() - t;
        }
        Arrays.sort(nanos);
        return new Latency(pct(nanos, 50), pct(nanos, 99), nanos[n - 1] / 1e6);
    }

    private static double pct(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1e6;
    }
}
