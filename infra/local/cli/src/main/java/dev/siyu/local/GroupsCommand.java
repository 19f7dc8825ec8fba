package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.group.GroupAssignment;
import dev.siyu.core.port.GroupStore;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.UsageException;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoGroupStore;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./siyu groups list|assign}: the customer groups WeCom reported (their type, owner, members and join
 * way), and the operator's assignment of a blueprint type to one, on the local stack or, with {@code --region},
 * a deployed one (as {@code apply}). Assigning makes the group's join way and welcome template in WeCom: the
 * local stub, or the real corp with SIYU_WECOM_* from the environment.
 */
final class GroupsCommand {
    static final String DEFAULT_LOCAL_WECOM = "http://127.0.0.1:3001";
    private static final List<String> WECOM_ENV = List.of("SIYU_WECOM_CORP_ID", "SIYU_WECOM_SECRET", "SIYU_WECOM_TOKEN",
            "SIYU_WECOM_AES_KEY");

    private GroupsCommand() {
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Path root, Map<String, String> env)
            throws Exception {
        if (argv.isEmpty()) {
            throw new UsageException("groups needs list or assign CHAT_ID TYPE");
        }
        String verb = argv.get(0);
        int positional = verb.equals("assign") ? 3 : 1;
        if (!verb.equals("list") && !verb.equals("assign")) {
            throw new UsageException("groups knows list and assign, not '" + verb + "'");
        }
        if (argv.size() < positional || argv.subList(1, positional).stream().anyMatch(a -> a.startsWith("--"))) {
            throw new UsageException("usage: groups assign CHAT_ID TYPE (the type as the blueprint names it)");
        }
        CliArgs args = CliArgs.parse(argv.subList(positional, argv.size()), Set.of("json"),
                Set.of("dynamodb", "region", "table", "tenant", "wecom-api-base-url"));
        String region = args.string("region", "");
        String table = args.string("table", EmbeddedStack.TABLE);
        String dynamodb = args.string("dynamodb", region.isBlank() ? ChannelsCommand.DEFAULT_DYNAMODB : "");
        Optional<URI> endpoint = dynamodb.isBlank() ? Optional.empty() : Optional.of(args.uri("dynamodb", dynamodb));
        AwsClients aws = new AwsClients(region.isBlank()
                ? StoreSettings.local(table, "", endpoint.orElseThrow(), endpoint.orElseThrow())
                : new StoreSettings(table, "", region, endpoint, Optional.empty()));
        CapacityMeter meter = new CapacityMeter();
        GroupStore groups = new DynamoGroupStore(aws.dynamoDb(), table, meter);
        String tenant = args.string("tenant", env.getOrDefault("SIYU_TENANT", ChannelsCommand.DEFAULT_TENANT));
        if (verb.equals("list")) {
            return list(groups, tenant, args.flag("json"), out, err);
        }
        // The blueprint the functions run: the tenant's current config in the table.
        String yaml = new DynamoConfigStore(aws.dynamoDb(), table, meter).current(tenant).orElseThrow(
                () -> new UsageException("no blueprint applied for tenant " + tenant + " in table " + table));
        ScrmConfig config = new ConfigLoader().load(yaml, "table " + table);
        try (WxJavaWeComApi wecom = new WxJavaWeComApi(wecom(args, region, root, env))) {
            GroupAssignment.Assigned a = new GroupAssignment(config, groups, wecom).assign(argv.get(1), argv.get(2));
            GroupStore.Group g = a.group();
            out.printf("group %s (%s) is a %s; join way %s, QR %s; welcome template %s%n", g.chatId(), n(g.name()),
                    g.groupType(), none(g.joinConfigId()), none(g.joinQr()), none(g.welcomeTemplateId()));
            boolean[] refused = {false};
            a.setup().forEach((k, v) -> {
                if (k.endsWith("errcode")) {
                    refused[0] = true;
                    err.println("WeCom refused " + k.replace("_errcode", "") + ": errcode " + v + " (tried again on"
                            + " the group's next callback or assign)");
                }
            });
            // The type is kept; what WeCom refused is not made yet, which a script must be able to see.
            return refused[0] ? 1 : 0;
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static WeComSettings wecom(CliArgs args, String region, Path root, Map<String, String> env) {
        WeComSettings settings;
        if (region.isBlank()) {
            settings = LocalEnv.load(root, env).wecom().withApiBaseUrl(DEFAULT_LOCAL_WECOM);
        } else {
            List<String> missing = WECOM_ENV.stream().filter(k -> env.getOrDefault(k, "").isBlank()).toList();
            if (!missing.isEmpty()) {
                throw new UsageException("groups assign on a deployed stack reads the WeCom credentials from the "
                        + "environment; set " + String.join(", ", missing));
            }
            settings = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"),
                    env.get("SIYU_WECOM_TOKEN"), env.get("SIYU_WECOM_AES_KEY"));
        }
        String base = args.string("wecom-api-base-url", "");
        return base.isBlank() ? settings : settings.withApiBaseUrl(base);
    }

    private static int list(GroupStore store, String tenant, boolean asJson, PrintStream out, PrintStream err)
            throws Exception {
        List<GroupStore.Group> all;
        try {
            all = store.groups(tenant);
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new UsageException("cannot reach the table (" + e.getMessage() + "); on this machine start the local "
                    + "stack first (./siyu local, DynamoDB at " + ChannelsCommand.DEFAULT_DYNAMODB + "), or name a "
                    + "deployed one with --region and --table");
        }
        if (asJson) {
            ObjectMapper json = new ObjectMapper();
            ArrayNode array = json.createArrayNode();
            for (GroupStore.Group g : all) {
                ObjectNode o = array.addObject();
                o.put("chat_id", g.chatId());
                o.put("name", g.name());
                o.put("type", g.groupType());
                o.put("owner", g.owner());
                o.put("members", g.memberCount());
                o.put("join_config_id", g.joinConfigId());
                o.put("join_qr", g.joinQr());
                o.put("welcome_template_id", g.welcomeTemplateId());
            }
            out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(array));
            return 0;
        }
        if (all.isEmpty()) {
            // Not an error: a tenant has no groups until WeCom reports one (change_external_chat).
            out.println("no customer groups for tenant " + tenant + " yet (WeCom reports each with change_external_chat)");
            return 0;
        }
        String fmt = "%-34s %-28s %-22s %-12s %7s  %s%n";
        out.printf(fmt, "CHAT_ID", "NAME", "TYPE", "OWNER", "MEMBERS", "JOIN QR");
        for (GroupStore.Group g : all) {
            out.printf(fmt, g.chatId(), n(g.name()), g.groupType() == null ? "(untyped)" : g.groupType(), n(g.owner()),
                    g.memberCount(), g.joinQr() == null ? "-" : g.joinQr());
        }
        return 0;
    }

    private static String none(String s) {
        return s == null || s.isEmpty() ? "none" : s;
    }

    private static String n(String s) {
        return s == null ? "" : s;
    }
}
