package dev.siyu.local;

import dev.siyu.core.channel.ChannelCode;
import dev.siyu.embedded.Blueprint;
import dev.siyu.embedded.Closeables;
import dev.siyu.embedded.EmbeddedStack;
import dev.siyu.embedded.LocalEnv;
import dev.siyu.embedded.StackPorts;
import dev.siyu.packaging.FunctionProcess;
import dev.siyu.packaging.FunctionZip;
import dev.siyu.packaging.LaunchSpec;
import dev.siyu.packaging.RuntimeApiEmulator;
import dev.siyu.core.engine.JobCatalog;
import dev.siyu.stack.miniapp.MiniProgramStub;
import dev.siyu.wecom.WeComSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code ./siyu local} in one object: the embedded stack, the packaged wecom-callback, staff-sidebar, miniapp-api
 * and scoring functions each running as a Lambda process against its own Runtime API emulator, the Mini Program
 * stub the member routes log in through, and the HTTP gateway in front of them (the scoring function behind the
 * admin routes, with its models in a directory).
 */
final class LocalServer implements AutoCloseable {
    static final String FUNCTION_ZIP = "functions/wecom-callback/target/function.zip";
    static final String SIDEBAR_ZIP = "functions/staff-sidebar/target/function.zip";
    /** The ingestion and Mini Program API function behind the gateway's /ingest and /miniapp routes. */
    static final String MINIAPP_ZIP = "functions/miniapp-api/target/function.zip";
    /** The scoring function behind the gateway's /admin routes (its models: {@link #MODEL_DIR}). */
    static final String SCORING_ZIP = "functions/scoring/target/function.zip";
    /** Where the local scoring function keeps its models: the directory store, as S3 is not local. */
    static final String MODEL_DIR = "infra/local/cli/target/local-models";
    /** A JVM Quarkus function on a busy 2-core machine can take a while to reach its first poll. */
    private static final Duration FUNCTION_INIT_TIMEOUT = Duration.ofSeconds(90);

    final EmbeddedStack stack;
    final RuntimeApiEmulator emulator;
    final FunctionProcess function;
    final RuntimeApiEmulator sidebarEmulator;
    final FunctionProcess sidebar;
    final Gateway gateway;
    final LocalJobs jobs;
    final MiniProgramStub wechat;
    final RuntimeApiEmulator miniappEmulator;
    final FunctionProcess miniappFunction;
    final RuntimeApiEmulator scoringEmulator;
    final FunctionProcess scoringFunction;

    private LocalServer(EmbeddedStack stack, RuntimeApiEmulator emulator, FunctionProcess function,
                        RuntimeApiEmulator sidebarEmulator, FunctionProcess sidebar, Gateway gateway, LocalJobs jobs,
                        MiniProgramStub wechat, RuntimeApiEmulator miniappEmulator, FunctionProcess miniappFunction,
                        RuntimeApiEmulator scoringEmulator, FunctionProcess scoringFunction) {
        this.stack = stack;
        this.emulator = emulator;
        this.function = function;
        this.sidebarEmulator = sidebarEmulator;
        this.sidebar = sidebar;
        this.gateway = gateway;
        this.jobs = jobs;
        this.wechat = wechat;
        this.miniappEmulator = miniappEmulator;
        this.miniappFunction = miniappFunction;
        this.scoringEmulator = scoringEmulator;
        this.scoringFunction = scoringFunction;
    }

    /**
     * Starts everything and prints what it started. Throws {@link dev.siyu.core.config.ConfigException}
     * for an invalid blueprint before any server starts.
     */
    static LocalServer start(LocalEnv env, Path blueprintFile, StackPorts ports, PrintStream out) {
        Blueprint blueprint = Blueprint.read(blueprintFile);
        Path zip = env.root().resolve(FUNCTION_ZIP);
        Path sidebarZip = env.root().resolve(SIDEBAR_ZIP);
        Path miniappZip = env.root().resolve(MINIAPP_ZIP);
        Path scoringZip = env.root().resolve(SCORING_ZIP);
        for (Path z : List.of(zip, sidebarZip, miniappZip, scoringZip)) {
            if (!Files.isRegularFile(z)) {
                throw new IllegalStateException(z + " is missing; build it with ./mvnw -B -DskipTests install "
                        + "-pl functions/wecom-callback,functions/staff-sidebar,functions/miniapp-api,functions/scoring -am"
                        + " (./siyu does this when it is stale)");
            }
        }
        WeComSettings wecom = env.wecom();
        out.println("WeCom callback settings (set them in the WeCom admin console for a real corp):");
        out.println("  corp id        " + wecom.corpId() + "   (" + env.source("SIYU_WECOM_CORP_ID") + ")");
        out.println("  token          " + wecom.token() + "   (" + env.source("SIYU_WECOM_TOKEN") + ")");
        out.println("  EncodingAESKey " + wecom.aesKey() + "   (" + env.source("SIYU_WECOM_AES_KEY") + ")");

        EmbeddedStack stack = EmbeddedStack.start(ports, wecom, blueprint);
        RuntimeApiEmulator emulator = null;
        FunctionProcess function = null;
        RuntimeApiEmulator sidebarEmulator = null;
        FunctionProcess sidebar = null;
        Gateway gateway = null;
        MiniProgramStub wechat = null;
        RuntimeApiEmulator miniappEmulator = null;
        FunctionProcess miniappFunction = null;
        RuntimeApiEmulator scoringEmulator = null;
        FunctionProcess scoringFunction = null;
        try {
            out.println("DynamoDB Local  " + stack.dynamo.endpoint() + "  table " + EmbeddedStack.TABLE);
            out.println("ElasticMQ       " + stack.sqs.endpoint() + "  queue " + stack.storeSettings.queueUrl());
            out.println("WeCom stub      " + stack.stub.baseUrl());
            out.println("Blueprint " + blueprint.file() + " applied (tenant " + stack.tenant() + ", config version "
                    + stack.applied.version() + "), channel codes:");
            for (ChannelCode c : stack.applied.channels()) {
                out.println("  " + c.name() + "  state=" + c.state() + "  staff=" + String.join(",", c.staff())
                        + "  qr=" + c.qrUrl());
            }

            Path taskRoot = FunctionZip.unpack(zip, env.root().resolve("infra/local/cli/target/local-task/wecom-callback"));
            emulator = RuntimeApiEmulator.start(0);
            LaunchSpec spec = LaunchSpec.managedRuntime(taskRoot)
                    .env(functionEnv(stack))
                    .env("AWS_LAMBDA_FUNCTION_NAME", "WeComCallbackFunction")
                    .build();
            function = FunctionProcess.start(spec, emulator);
            out.println("Function        wecom-callback pid " + function.pid() + ", log " + function.logFile());
            Path sidebarRoot = FunctionZip.unpack(sidebarZip,
                    env.root().resolve("infra/local/cli/target/local-task/staff-sidebar"));
            sidebarEmulator = RuntimeApiEmulator.start(0);
            sidebar = FunctionProcess.start(LaunchSpec.managedRuntime(sidebarRoot)
                    .env(functionEnv(stack))
                    .env("SIYU_SIDEBAR_SESSION_KEY", env.get("SIYU_SIDEBAR_SESSION_KEY"))
                    .env("AWS_LAMBDA_FUNCTION_NAME", "StaffSidebarFunction")
                    .build(), sidebarEmulator);
            out.println("Function        staff-sidebar pid " + sidebar.pid() + ", log " + sidebar.logFile());
            awaitReady(emulator, function);
            awaitReady(sidebarEmulator, sidebar);
            wechat = new MiniProgramStub(null, env.get("SIYU_MINIAPP_SECRET"), java.time.Clock.systemUTC())
                    .start(ports.miniapp());
            out.println("Mini Program stub " + wechat.baseUrl());
            Path miniappRoot = FunctionZip.unpack(miniappZip,
                    env.root().resolve("infra/local/cli/target/local-task/miniapp-api"));
            miniappEmulator = RuntimeApiEmulator.start(0);
            miniappFunction = FunctionProcess.start(LaunchSpec.managedRuntime(miniappRoot)
                    .env(miniappEnv(stack, env, wechat))
                    .env("AWS_LAMBDA_FUNCTION_NAME", "MiniappApiFunction")
                    .build(), miniappEmulator);
            out.println("Function        miniapp-api pid " + miniappFunction.pid() + ", log "
                    + miniappFunction.logFile() + " (/miniapp/*, /ingest/*)");
            Path scoringRoot = FunctionZip.unpack(scoringZip, env.root().resolve("infra/local/cli/target/local-task/scoring"));
            scoringEmulator = RuntimeApiEmulator.start(0);
            scoringFunction = FunctionProcess.start(LaunchSpec.managedRuntime(scoringRoot)
                    .env(scoringEnv(stack, env.root().resolve(MODEL_DIR)))
                    .env("AWS_LAMBDA_FUNCTION_NAME", "ScoringFunction")
                    .build(), scoringEmulator);
            out.println("Function        scoring pid " + scoringFunction.pid() + ", log " + scoringFunction.logFile()
                    + " (/admin/*, models in " + MODEL_DIR + ")");
            awaitReady(miniappEmulator, miniappFunction);
            awaitReady(scoringEmulator, scoringFunction);
            gateway = Gateway.start(ports.gateway(), new Gateway.Functions(emulator, sidebarEmulator, miniappEmulator,
                    scoringEmulator));
            out.println("Staff sidebar   " + gateway.baseUrl() + "/sidebar/index.html?code=<POST " + stack.stub.baseUrl()
                    + "/_oauth_codes {\"userid\":\"zhangsan\"}>  (docs/sidebar.md)");
            LocalJobs jobs = LocalJobs.start(stack, out, new dev.siyu.wecom.WxJavaMiniProgram(
                    stack.wecomSettings.miniProgramAppIdOrLocal(), env.get("SIYU_MINIAPP_SECRET"), wechat.baseUrl()));
            out.println("Admin API       " + gateway.baseUrl() + "/admin/customers/{customerId}/score, "
                    + gateway.baseUrl() + "/admin/scoring/train  (./siyu score; in AWS: IAM-signed only)");
            out.println("journey-worker  polling " + stack.storeSettings.queueUrl() + " (in process)");
            out.println("scheduler       " + JobCatalog.jobs().stream().map(j -> j.name() + " " + when(j.schedule()))
                    .collect(java.util.stream.Collectors.joining(", ")) + " (in process)");
            return new LocalServer(stack, emulator, function, sidebarEmulator, sidebar, gateway, jobs, wechat,
                    miniappEmulator, miniappFunction, scoringEmulator, scoringFunction);
        } catch (IOException e) {
            Closeables.closeAll(gateway, scoringFunction, scoringEmulator, miniappFunction, miniappEmulator, wechat, sidebar,
                    sidebarEmulator, function, emulator, stack);
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            Closeables.closeAll(gateway, scoringFunction, scoringEmulator, miniappFunction, miniappEmulator, wechat, sidebar,
                    sidebarEmulator, function, emulator, stack);
            throw e;
        }
    }

    /** What template.yaml gives the scoring function, pointed at the embedded stack, with its models in a directory. */
    static Map<String, String> scoringEnv(EmbeddedStack stack, Path modelDir) {
        Map<String, String> e = functionEnv(stack);
        e.remove("SIYU_WECOM_TOKEN");
        e.remove("SIYU_WECOM_AES_KEY");
        e.put("SIYU_SCORING_MODEL_DIR", modelDir.toString());
        return e;
    }

    /**
     * What template.yaml gives the miniapp-api function: the callback's settings, the sources' and member keys, and
     * the staff check-in session key (its own, never the sidebar's).
     */
    static Map<String, String> miniappEnv(EmbeddedStack stack, LocalEnv env, MiniProgramStub wechat) {
        Map<String, String> e = functionEnv(stack);
        e.remove("SIYU_WECOM_TOKEN");
        e.remove("SIYU_WECOM_AES_KEY");
        e.putAll(ingestEnv(env));
        for (String key : List.of("SIYU_MINIAPP_SECRET", "SIYU_MINIAPP_TOKEN_KEY", "SIYU_MINIAPP_DATA_KEY",
                "SIYU_CHECKIN_SESSION_KEY")) {
            e.put(key, env.get(key));
        }
        e.put("SIYU_MINIAPP_API_BASE_URL", wechat.baseUrl());
        return e;
    }

    private static String when(dev.siyu.core.engine.JobSchedule schedule) {
        return schedule instanceof dev.siyu.core.engine.JobSchedule.Daily d ? d.at().toString()
                : "every " + ((dev.siyu.core.engine.JobSchedule.Every) schedule).period().toMinutes() + " min";
    }

    /** What template.yaml gives the function in AWS, pointed at the embedded endpoints. */
    static Map<String, String> functionEnv(EmbeddedStack stack) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("SIYU_TABLE", EmbeddedStack.TABLE);
        env.put("SIYU_TENANT", stack.tenant());
        env.put("SIYU_DYNAMODB_ENDPOINT", stack.dynamo.endpoint().toString());
        env.put("SIYU_SQS_ENDPOINT", stack.sqs.endpoint().toString());
        env.put("SIYU_JOURNEY_QUEUE_URL", stack.storeSettings.queueUrl());
        env.put("SIYU_WECOM_API_BASE_URL", stack.stub.baseUrl());
        env.put("SIYU_WECOM_CORP_ID", stack.wecomSettings.corpId());
        env.put("SIYU_WECOM_TOKEN", stack.wecomSettings.token());
        env.put("SIYU_WECOM_AES_KEY", stack.wecomSettings.aesKey());
        env.put("SIYU_WECOM_SECRET", stack.wecomSettings.secret());
        stack.wecomSettings.contactsSecret().ifPresent(c -> env.put("SIYU_WECOM_CONTACTS_SECRET", c));
        env.put("AWS_REGION", stack.storeSettings.region());
        // DynamoDB Local and ElasticMQ accept any key; the SDK only needs one to sign with.
        env.put("AWS_ACCESS_KEY_ID", "local");
        env.put("AWS_SECRET_ACCESS_KEY", "local");
        env.put("QUARKUS_LOG_LEVEL", "WARN");
        return env;
    }

    /**
     * What the ingestion function gets beyond the shared environment: each source's signing secret
     * (SIYU_INGEST_SECRET_<SOURCE>) and the phone hash key, from the environment or config/local.env.
     */
    static Map<String, String> ingestEnv(LocalEnv env) {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Set<String> keys = new java.util.TreeSet<>(env.file().stringPropertyNames());
        keys.addAll(env.processEnv().keySet());
        for (String k : keys) {
            if (k.startsWith("SIYU_INGEST_SECRET_")) {
                out.put(k, env.get(k));
            }
        }
        out.put("SIYU_IDENTITY_HASH_KEY", env.get("SIYU_IDENTITY_HASH_KEY"));
        return out;
    }

    /** Waits for the runtime's first poll, so "ready" means the first request gets no cold start. */
    private static void awaitReady(RuntimeApiEmulator emulator, FunctionProcess function) {
        try {
            function.unlessExited(emulator.runtimeReady()).get(FUNCTION_INIT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the function did not start: "
                    + (e instanceof TimeoutException ? "no poll within " + FUNCTION_INIT_TIMEOUT : e.getCause())
                    + "\n--- function log (" + function.logFile() + ") ---\n" + function.logTail(30), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the function started", e);
        }
    }

    String url() {
        return gateway.baseUrl();
    }

    /** Gateway first so nothing new arrives, then the functions (SIGTERM, then kill), the jobs, then the stack. */
    @Override
    public void close() {
        Closeables.closeAll(gateway, scoringFunction, scoringEmulator, miniappFunction, miniappEmulator, wechat, sidebar,
                sidebarEmulator, function, emulator, jobs, stack);
    }
}
