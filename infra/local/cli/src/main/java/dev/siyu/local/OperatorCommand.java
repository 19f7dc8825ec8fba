package dev.siyu.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.JobCatalog;
import dev.siyu.core.engine.JobSummary;
import dev.siyu.core.port.ConfigStore;
import dev.siyu.embedded.CliArgs;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.UsageException;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoPorts;
import dev.siyu.store.SqsQueues;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * {@code ./siyu mass-send} and {@code ./siyu transfer}: the scheduler's operator actions (JobCatalog.actions)
 * with their input from the command line. On the local stack they run here, on its table and WeCom stub, as the
 * scheduler would; with {@code --region} and {@code --function} the deployed scheduler function runs them.
 */
final class OperatorCommand {
    private static final ObjectMapper JSON = new ObjectMapper();

    private OperatorCommand() {
    }

    static int massSend(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of("wait"), Set.of("campaign", "text", "content", "tags", "stages",
                "region", "function", "lambda", "dynamodb", "sqs", "table", "tenant", "wecom-api-base-url"));
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("campaign", args.required("campaign"));
        input.put("text", args.required("text"));
        String content = args.string("content", "value");
        if (!content.equals("value") && !content.equals("promotional")) {
            throw new UsageException("--content is value or promotional, not '" + content + "'");
        }
        input.put("content", content);
        input.put("segment", Map.of("tags", list(args.string("tags", "")), "stages", list(args.string("stages", ""))));
        return run(JobCatalog.MASS_SEND, input, args, out, err, root);
    }

    static int transfer(List<String> argv, PrintStream out, PrintStream err, Path root) throws Exception {
        CliArgs args = CliArgs.parse(argv, Set.of("wait"), Set.of("from", "to", "customers", "region", "function",
                "lambda", "dynamodb", "sqs", "table", "tenant", "wecom-api-base-url"));
        List<String> customers = list(args.required("customers"));
        if (customers.isEmpty() || customers.size() > 100) {
            throw new UsageException("--customers names 1 to 100 external userids (one transfer call), not "
                    + customers.size());
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("handover", args.required("from"));
        input.put("takeover", args.required("to"));
        input.put("external_userids", customers);
        return run(JobCatalog.TRANSFER_CUSTOMERS, input, args, out, err, root);
    }

    private static int run(String job, Map<String, Object> input, CliArgs args, PrintStream out, PrintStream err,
                           Path root) throws Exception {
        String event = JSON.writeValueAsString(Map.of("job", job, "input", input));
        String region = args.string("region", "");
        if (!region.isBlank()) {
            return deployed(event, region, args, out, err);
        }
        JobSummary summary = local(job, input, args, root);
        out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(summary));
        return 0;
    }

    /** The deployed scheduler function, as a schedule would invoke it (or, with --wait, once with its answer). */
    private static int deployed(String event, String region, CliArgs args, PrintStream out, PrintStream err) {
        String function = args.string("function", "");
        if (function.isBlank()) {
            throw new UsageException("a deployed stack runs this in its scheduler function: give --function <the "
                    + "stack's SchedulerFunctionAlias output>");
        }
        String lambda = args.string("lambda", "");
        JobInvoker invoker = JobInvoker.of(lambda.isBlank() ? null : args.uri("lambda", lambda), region, function);
        boolean wait = args.flag("wait");
        JobInvoker.Answer answer = invoker.call(event, wait);
        if (!wait) {
            if (answer.status() != 202) {
                err.println("Lambda answered " + answer.status() + ": " + answer.body());
                return 1;
            }
            out.println("started in " + function + " (Lambda retries a failed run twice, then the scheduler's DLQ keeps"
                    + " it: ./siyu dlq list --queue scheduler); its summary is in the function's log");
            return 0;
        }
        if (answer.status() != 200 || answer.functionError() != null) {
            err.println("the run failed (" + answer.status() + (answer.functionError() == null ? ""
                    : ", " + answer.functionError()) + "): " + answer.body());
            return 1;
        }
        out.println(answer.body());
        return 0;
    }

    /** Here, on the local stack (./siyu local): its table, its queue and the WeCom stub, with the applied blueprint. */
    private static JobSummary local(String job, Map<String, Object> input, CliArgs args, Path root) {
        String table = args.string("table", EmbeddedStack.TABLE);
        StoreSettings bootstrap = StoreSettings.local(table, "", args.uri("dynamodb", ChannelsCommand.DEFAULT_DYNAMODB),
                args.uri("sqs", DlqCommand.DEFAULT_SQS));
        AwsClients aws = new AwsClients(bootstrap);
        CapacityMeter meter = new CapacityMeter();
        String tenant = args.string("tenant", System.getenv().getOrDefault("SIYU_TENANT", ChannelsCommand.DEFAULT_TENANT));
        ConfigStore.Version blueprint;
        try {
            blueprint = new DynamoConfigStore(aws.dynamoDb(), table, meter).currentVersion(tenant).orElseThrow(
                    () -> new UsageException("no blueprint applied for tenant " + tenant + " in table " + table));
        } catch (software.amazon.awssdk.core.exception.SdkClientException e) {
            throw new UsageException("cannot reach the table (" + e.getMessage() + "); start the local stack first "
                    + "(./siyu local), or name a deployed one with --region and --function");
        }
        StoreSettings store = bootstrap.withQueueUrl(SqsQueues.createIfMissing(aws.sqs(), EmbeddedStack.QUEUE));
        String wecomBase = args.string("wecom-api-base-url", GroupsCommand.DEFAULT_LOCAL_WECOM);
        try (WxJavaWeComApi wecom = new WxJavaWeComApi(LocalEnv.load(root, System.getenv()).wecom()
                .withApiBaseUrl(wecomBase))) {
            Engine engine = new Engine(DynamoPorts.create(aws, store, wecom, meter),
                    new ConfigLoader().load(blueprint.yamlText(), "table " + table), blueprint.number(),
                    ServiceLoader.load(dev.siyu.core.condition.ConditionCompiler.class).findFirst().orElse(null),
                    Clock.systemUTC(), Engine.Settings.inline());
            return engine.jobs().run(job, input);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
