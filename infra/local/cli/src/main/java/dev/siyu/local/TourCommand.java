package dev.siyu.local;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.StaffRelationship;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.SignedCallbacks;
import dev.siyu.embedded.StackPorts;
import dev.siyu.stack.wecom.RecordedCall;
import dev.siyu.stack.wecom.StubContact;
import dev.siyu.wecom.CallbackXml;
import dev.siyu.wecom.EncryptedCallback;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * {@code ./siyu tour}: the callback path end to end on the local stack. Every callback is
 * encrypted and signed as WeCom would, and goes over HTTP through the gateway into the packaged
 * function process, so what it shows is what runs in AWS.
 */
final class TourCommand {
    /** The example blueprint's channel codes and the staff member each customer ends up with. */
    record Visit(String state, String staff, String customerName) { }

    static final List<Visit> VISITS = List.of(
            new Visit("parcel_card_east", "zhangsan", "Chen Jing"),
            new Visit("livestream_qr", "wangwu", "Lin Xiao"),
            new Visit("in_store.sh01", "zhouba", "Huang Lei"),
            new Visit("in_store.hz01", "wujiu", "Xu Mei"));

    private static final String WELCOME_API = "externalcontact/send_welcome_msg";
    private static final String MARK_TAG_API = "externalcontact/mark_tag";

    private final LocalServer server;
    private final SignedCallbacks callbacks;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    private TourCommand(LocalServer server, PrintStream out) {
        this.server = server;
        this.callbacks = new SignedCallbacks(server.stack.wecomSettings);
        this.out = out;
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("config"));
        // The defaults when free, so `./siyu channels` and `profile` work against it too; else ephemeral.
        StackPorts ports = StackPorts.DEFAULTS.allFree() ? StackPorts.DEFAULTS : StackPorts.EPHEMERAL;
        long t0 = System.nanoTime();
        try (LocalServer server = LocalServer.start(LocalEnv.load(root, System.getenv()),
                args.path("config", root, Blueprint.DEFAULT), ports, out)) {
            out.printf("stack and function up in %.1f s, gateway %s%n%n", (System.nanoTime() - t0) / 1e9, server.url());
            TourCommand demo = new TourCommand(server, out);
            demo.walkThrough();
            out.printf("%ntour finished in %.1f s%n", (System.nanoTime() - t0) / 1e9);
            if (!demo.failures.isEmpty()) {
                err.println("tour: " + demo.failures.size() + " expectation(s) failed:");
                demo.failures.forEach(f -> err.println("  - " + f));
                return 1;
            }
            return 0;
        }
    }

    private void walkThrough() throws IOException, InterruptedException {
        String corp = server.stack.wecomSettings.corpId();
        List<String> customers = new ArrayList<>();
        List<EncryptedCallback> sent = new ArrayList<>();
        int n = 0;
        for (Visit v : VISITS) {
            n++;
            Optional<ChannelCode> code = server.stack.applied.channels().stream()
                    .filter(c -> c.state().equals(v.state())).findFirst();
            if (code.isEmpty()) {
                failures.add("the blueprint has no channel code with state " + v.state());
                continue;
            }
            String customer = "wmdemo" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
            customers.add(customer);
            server.stack.stub.registerContact(new StubContact(customer, v.customerName(), "", "ou-" + customer));
            String welcomeCode = "WELCOME-" + customer;
            out.printf("== %d. %s scans \"%s\" (state %s) and adds %s%n", n, v.customerName(), code.get().name(),
                    v.state(), v.staff());
            EncryptedCallback callback = callbacks.encrypt(
                    CallbackXml.contactAdded(corp, v.staff(), customer, v.state(), welcomeCode, Instant.now()));
            sent.add(callback);
            long t = System.nanoTime();
            SignedCallbacks.Reply reply = callbacks.post(server.url(), callback);
            out.printf("   POST /wecom/callback -> %d %s  (%.0f ms)%n", reply.status(), reply.body(), (System.nanoTime() - t) / 1e6);
            expect(reply.status() == 200 && "success".equals(reply.body()),
                    v.state() + ": gateway answered " + reply.status() + " " + reply.body());

            List<RecordedCall> welcomes = welcomesFor(welcomeCode);
            expect(welcomes.size() == 1, v.state() + ": expected one welcome message, the stub got " + welcomes.size());
            welcomes.forEach(w -> out.println("   welcome: \"" + w.body().path("text").path("content").asText() + "\""));

            List<String> tagIds = new ArrayList<>();
            for (RecordedCall c : server.stack.stub.calls(MARK_TAG_API)) {
                if (customer.equals(c.body().path("external_userid").asText())) {
                    c.body().path("add_tag").forEach(id -> tagIds.add(id.asText()));
                }
            }
            expect(!tagIds.isEmpty(), v.state() + ": no tags were marked");
            out.println("   mark_tag: " + tagIds.size() + " tag(s) " + tagIds);

            Optional<CustomerProfile> profile = ProfileCommand.find(server.stack.customers, server.stack.tenant(), customer);
            expect(profile.isPresent(), v.state() + ": no profile stored");
            profile.ifPresent(p -> {
                out.println("   profile: channel=" + p.channel() + " (" + p.channelName() + ")"
                        + (p.storeId() == null ? "" : " store=" + p.storeId() + " city=" + p.city())
                        + " tags=" + p.tags() + " staff=" + relationships(p));
                expect(v.state().equals(p.channel()), v.state() + ": profile channel is " + p.channel());
                expect(p.relationships().containsKey(v.staff()), v.state() + ": no relationship with " + v.staff());
            });
            out.println();
        }
        if (customers.isEmpty()) {
            return;
        }

        out.println("== Replay: WeCom retries callback 1 (same signature, same body)");
        int before = welcomesFor("WELCOME-" + customers.get(0)).size();
        SignedCallbacks.Reply replay = callbacks.post(server.url(), sent.get(0));
        int after = welcomesFor("WELCOME-" + customers.get(0)).size();
        out.printf("   POST /wecom/callback -> %d %s; welcome messages for that customer: %d before, %d after%n",
                replay.status(), replay.body(), before, after);
        expect(replay.status() == 200, "replay: gateway answered " + replay.status());
        expect(after == before, "replay: a second welcome message was sent");
        out.println();

        Visit first = VISITS.get(0);
        out.println("== " + first.customerName() + " deletes " + first.staff() + " (del_follow_user)");
        SignedCallbacks.Reply deleted = callbacks.post(server.url(), callbacks.encrypt(
                CallbackXml.followUserDeleted(corp, first.staff(), customers.get(0), Instant.now())));
        out.printf("   POST /wecom/callback -> %d %s%n", deleted.status(), deleted.body());
        expect(deleted.status() == 200, "del_follow_user: gateway answered " + deleted.status());
        Optional<CustomerProfile> ended = ProfileCommand.find(server.stack.customers, server.stack.tenant(), customers.get(0));
        boolean suppressed = ended.map(p -> p.suppressedThrough(first.staff())).orElse(false);
        out.println("   profile: staff=" + ended.map(TourCommand::relationships).orElse("?")
                + "; suppressed through " + first.staff() + ": " + suppressed);
        expect(suppressed, "del_follow_user: the relationship is not suppressed");
        out.println();

        int welcomes = server.stack.stub.calls(WELCOME_API).size();
        out.println("== Summary");
        out.println("   customers added:        " + customers.size());
        out.println("   welcome messages sent:  " + welcomes + " (expected " + customers.size() + ", replay deduplicated)");
        out.println("   WeCom API calls:        " + server.stack.stub.calls().size() + " (stub, incl. setup)");
        out.println("   suppressed relations:   " + (suppressed ? 1 : 0));
        out.println("   try: ./siyu profile --external-user-id " + customers.get(0)
                + (server.stack.dynamo.port() == StackPorts.DEFAULTS.dynamoDb() ? "" : " --dynamodb " + server.stack.dynamo.endpoint())
                + "   (while a stack runs)");
        expect(welcomes == customers.size(), "expected " + customers.size() + " welcome messages in all, got " + welcomes);
        out.println("   result: " + (failures.isEmpty() ? "OK" : failures.size() + " expectation(s) failed"));
    }

    private List<RecordedCall> welcomesFor(String welcomeCode) {
        return server.stack.stub.calls(WELCOME_API).stream()
                .filter(c -> welcomeCode.equals(Optional.ofNullable(c.body()).map(b -> b.path("welcome_code").asText()).orElse("")))
                .toList();
    }

    private static String relationships(CustomerProfile p) {
        return p.relationships().values().stream()
                .map(r -> r.staffUserId() + ":" + r.status().name().toLowerCase()
                        + (r.status() == StaffRelationship.Status.ENDED && r.endedBy() != null
                            ? " by " + r.endedBy().name().toLowerCase() : ""))
                .sorted().collect(Collectors.joining(", ", "[", "]"));
    }

    private void expect(boolean ok, String failure) {
        if (!ok) {
            failures.add(failure);
            out.println("   !! " + failure);
        }
    }
}
