package dev.siyu.local;

import dev.siyu.core.config.ConfigException;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffDirectoryCheck;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.staff.CorpDirectory;
import dev.siyu.core.staff.DirectoryReader;

import dev.siyu.core.channel.BlueprintApplier;
import dev.siyu.core.channel.ChannelCode;
import dev.siyu.core.channel.ChannelCodeProvisioner;
import dev.siyu.core.channel.StaffRouter;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.media.PictureFiles;
import dev.siyu.core.media.PictureUpload;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.UsageException;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoChannelStore;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoMediaCache;
import dev.siyu.store.DynamoStaffLoadStore;
import dev.siyu.store.ProfilesIndexBackfill;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code ./siyu apply}: applies a blueprint to a deployed stack: validates it, stores it as the
 * tenant's next config version in the stack's table (the function reads it at start) and creates
 * its channel codes in the real WeCom corp. WeCom credentials come from the environment only, never
 * from config/local.env, so the local defaults can never reach a real corp.
 */
final class ApplyCommand {
    private static final List<String> WECOM_ENV = List.of("SIYU_WECOM_CORP_ID", "SIYU_WECOM_SECRET", "SIYU_WECOM_TOKEN",
            "SIYU_WECOM_AES_KEY", "SIYU_WECOM_CONTACTS_SECRET");

    /** samconfig.toml's stack_name. */
    static final String DEFAULT_STACK = "siyu-dev";

    private ApplyCommand() {
    }

    static int run(List<String> argv, PrintStream out, Path root, Map<String, String> env) {
        CliArgs args = CliArgs.parse(argv, Set.of(), Set.of("config", "table", "region", "dynamodb", "wecom-api-base-url",
                "stack", "stack-time-zone", "cloudformation"));
        Blueprint blueprint = Blueprint.read(args.path("config", root, Blueprint.DEFAULT));
        String region = args.string("region", env.getOrDefault("AWS_REGION", ""));
        if (region.isBlank()) {
            throw new UsageException("apply needs --region (or AWS_REGION): the region the stack was deployed to");
        }
        checkTimeZone(args, blueprint, region);
        List<String> missing = WECOM_ENV.stream().filter(k -> env.getOrDefault(k, "").isBlank()).toList();
        if (!missing.isEmpty()) {
            throw new UsageException("apply reads the WeCom credentials from the environment; set " + String.join(", ", missing)
                    + " (the values in the stack's WeCom secret and its contacts secret)");
        }
        WeComSettings wecom = WeComSettings.of(env.get("SIYU_WECOM_CORP_ID"), env.get("SIYU_WECOM_SECRET"),
                env.get("SIYU_WECOM_TOKEN"), env.get("SIYU_WECOM_AES_KEY"))
                .withContactsSecret(env.get("SIYU_WECOM_CONTACTS_SECRET"));
        String apiBase = args.string("wecom-api-base-url", "");
        if (!apiBase.isBlank()) {
            wecom = wecom.withApiBaseUrl(apiBase);
        }
        String table = args.string("table", EmbeddedStack.TABLE);
        String dynamodb = args.string("dynamodb", "");
        Optional<URI> endpoint = dynamodb.isBlank() ? Optional.empty() : Optional.of(args.uri("dynamodb", dynamodb));
        AwsClients aws = new AwsClients(new StoreSettings(table, "", region, endpoint, Optional.empty()));
        CapacityMeter meter = new CapacityMeter();
        try (WxJavaWeComApi api = new WxJavaWeComApi(wecom)) {
            // Before anything is stored or created: pools must name people WeCom has.
            checkStaff(blueprint, api, out);
            BlueprintApplier.Applied applied = new BlueprintApplier(new ConfigLoader(),
                    new DynamoConfigStore(aws.dynamoDb(), table, meter),
                    new ChannelCodeProvisioner(api, new DynamoChannelStore(aws.dynamoDb(), table, meter),
                            new DynamoStaffLoadStore(aws.dynamoDb(), table, meter), new StaffRouter(), Clock.systemUTC()))
                    .apply(blueprint.yaml(), blueprint.sourceName());
            out.printf("Blueprint %s applied to table %s (tenant %s, config version %d); channel codes:%n",
                    blueprint.file(), table, applied.config().tenant(), applied.version());
            for (ChannelCode c : applied.channels()) {
                out.printf("  %s  state=%s  staff=%s  qr=%s%n", c.name(), c.state(), String.join(",", c.staff()), c.qrUrl());
            }
            // the pictures the blueprint names: kept in the table for the functions, uploaded once now
            Map<String, String> pictures = new PictureUpload(new DynamoMediaCache(aws.dynamoDb(), table, meter), api,
                    Clock.systemUTC()).store(applied.config(), new PictureFiles(blueprint.file().toAbsolutePath().getParent()));
            pictures.forEach((picture, id) -> out.printf("  picture %s  media_id=%s%n", picture, id));
            out.println("Functions read the config when they start: publish a new version (or wait for new instances).");
            // a table from before the profiles index: its profiles enter the index the daily jobs read
            int entered = new ProfilesIndexBackfill(aws.dynamoDb(), table, meter).run();
            if (entered > 0) {
                out.printf("Profiles index: %d profile(s) saved before it existed were entered into it.%n", entered);
            }
        }
        return 0;
    }

    /**
     * The blueprint's staff against WeCom's directory (department/list, user/list_id, user/get with the contacts
     * secret): an unknown, disabled or departed userid stops the apply with a problem at its line; a member not
     * activated yet is printed as a warning.
     */
    static void checkStaff(Blueprint blueprint, WeComApi api, PrintStream out) {
        ScrmConfig config = new ConfigLoader().load(blueprint.yaml(), blueprint.sourceName());
        CorpDirectory directory = new DirectoryReader(api).read(config.staff().stream().map(StaffMember::userId).toList());
        StaffDirectoryCheck.Result result = StaffDirectoryCheck.check(blueprint.yaml(), blueprint.sourceName(), directory);
        result.warnings().forEach(w -> out.println("warning: " + w));
        if (!result.errors().isEmpty()) {
            throw new ConfigException(result.errors());
        }
        out.printf("Staff: all %d in WeCom's directory (%d members, %d departments)%n", config.staff().size(),
                directory.listed().size(), directory.departments().size());
        for (StaffMember m : config.staff()) {
            out.printf("  %s  %s  departments=%s%n", m.userId(), directory.member(m.userId()).map(d -> d.name())
                    .orElse(m.name()), String.join(",", directory.departmentNames(m.userId())));
        }
    }

    /**
     * The scheduled jobs run in the stack's TimeZone, fixed at deploy time; a blueprint in another zone
     * would have its nightly jobs and SOP slots fall at other local hours. Checked before anything is stored.
     */
    private static void checkTimeZone(CliArgs args, Blueprint blueprint, String region) {
        ZoneId blueprintZone = new ConfigLoader().load(blueprint.yaml(), blueprint.sourceName()).timezone();
        String stack = args.string("stack", DEFAULT_STACK);
        String stackZone = args.string("stack-time-zone", "");
        if (stackZone.isBlank()) {
            String cfn = args.string("cloudformation", "");
            stackZone = StackTimeZone.of(cfn.isBlank() ? null : args.uri("cloudformation", cfn), region).of(stack);
        }
        if (!blueprintZone.getId().equals(stackZone)) {
            throw new UsageException("the blueprint's timezone " + blueprintZone.getId() + " (" + blueprint.file()
                    + ") differs from the stack's TimeZone " + stackZone + " (stack " + stack + "): the scheduled jobs run "
                    + "in the stack's zone; fix the blueprint, or redeploy with --parameter-overrides TimeZone="
                    + blueprintZone.getId());
        }
    }
}
