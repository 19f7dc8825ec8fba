package dev.siyu.function;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.engine.Engine;
import dev.siyu.core.engine.Ports;
import dev.siyu.core.port.WeComApi;
import dev.siyu.store.AwsClients;
import dev.siyu.store.DynamoAccessTokenCache;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.DynamoPorts;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.WeComSettings;
import dev.siyu.wecom.WxJavaWeComApi;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.ServiceLoader;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * What every function builds the same way, from its settings (environment variables in Lambda, see
 * template.yaml; each function's application.properties names them): the AWS clients, the WeCom API,
 * the clock, the tenant's config and, from those, the {@link Engine}. A function's own wiring then
 * produces only its entry point from the engine.
 */
@Singleton
public class FunctionProducers {
    /**
     * Only the callback verifies callbacks, so only it is given the callback token and AES key (least
     * privilege). WeComSettings still checks those fields, so the other functions get these stand-ins.
     */
    public static final String NO_CALLBACK_TOKEN = "not-given-to-this-function";
    static final String NO_CALLBACK_AES_KEY = "bm90IGdpdmVuIHRvIHRoaXMgZnVuY3Rpb24uLi4uLi4";

    /** True when the settings carry the stand-in AES key: the callback needs the real EncodingAESKey. */
    public static boolean lacksCallbackKey(WeComSettings settings) {
        return NO_CALLBACK_AES_KEY.equals(settings.aesKey());
    }

    @Produces
    @Singleton
    StoreSettings storeSettings(@ConfigProperty(name = "siyu.table") String table,
                                @ConfigProperty(name = "siyu.journey-queue-url") Optional<String> queueUrl,
                                @ConfigProperty(name = "siyu.region") String region,
                                @ConfigProperty(name = "siyu.dynamodb.endpoint") Optional<URI> dynamoEndpoint,
                                @ConfigProperty(name = "siyu.sqs.endpoint") Optional<URI> sqsEndpoint) {
        return new StoreSettings(table, queueUrl.orElse(""), region, dynamoEndpoint, sqsEndpoint);
    }

    @Produces
    @Singleton
    AwsClients awsClients(StoreSettings settings) {
        return new AwsClients(settings);
    }

    @Produces
    @Singleton
    WeComSettings weComSettings(@ConfigProperty(name = "siyu.wecom.corp-id") String corpId,
                                @ConfigProperty(name = "siyu.wecom.secret") String secret,
                                @ConfigProperty(name = "siyu.wecom.token") Optional<String> token,
                                @ConfigProperty(name = "siyu.wecom.aes-key") Optional<String> aesKey,
                                @ConfigProperty(name = "siyu.wecom.agent-id") Optional<Integer> agentId,
                                @ConfigProperty(name = "siyu.miniapp.app-id") Optional<String> miniProgramAppId,
                                @ConfigProperty(name = "siyu.wecom.call-budget-ms") Optional<Long> callBudgetMs,
                                @ConfigProperty(name = "siyu.wecom.api-base-url") Optional<String> apiBaseUrl,
                                @ConfigProperty(name = "siyu.wecom.contacts-secret") Optional<String> contactsSecret) {
        WeComSettings settings = WeComSettings.of(corpId, secret, token.orElse(NO_CALLBACK_TOKEN),
                aesKey.orElse(NO_CALLBACK_AES_KEY));
        if (callBudgetMs.isPresent()) {
            settings = settings.withRetry(settings.retry().withCallBudget(Duration.ofMillis(callBudgetMs.get())));
        }
        settings = apiBaseUrl.map(settings::withApiBaseUrl).orElse(settings);
        settings = agentId.map(settings::withAgentId).orElse(settings);
        settings = contactsSecret.map(settings::withContactsSecret).orElse(settings);
        return miniProgramAppId.map(settings::withMiniProgramAppId).orElse(settings);
    }

    @Produces
    @Singleton
    WeComApi weComApi(WeComSettings settings, AwsClients aws, StoreSettings store) {
        // One access token (and one agent jsapi_ticket, the staff sidebar's) for every instance of every function:
        // gettoken and ticket/get are rate-limited per corp and app. The contacts secret's token is another token,
        // under a key of its own.
        return new WxJavaWeComApi(settings, new DynamoAccessTokenCache(aws.dynamoDb(), store.tableName(),
                settings.accessTokenKey(), new CapacityMeter()), settings.contactsSecret().isEmpty() ? null
                : new DynamoAccessTokenCache(aws.dynamoDb(), store.tableName(), settings.contactsAccessTokenKey(),
                        new CapacityMeter()), new DynamoAccessTokenCache(aws.dynamoDb(), store.tableName(),
                settings.accessTokenKey() + "#AGENT_TICKET", new CapacityMeter()));
    }

    /**
     * The system clock; {@code siyu.clock.offset} shifts it (tests pin business hours with it, so
     * quiet-hours rules do not depend on when the build runs). Never set in AWS.
     */
    @Produces
    @Singleton
    Clock clock(@ConfigProperty(name = "siyu.clock.offset") Optional<Duration> offset) {
        return offset.map(o -> Clock.offset(Clock.systemUTC(), o)).orElse(Clock.systemUTC());
    }

    /**
     * A function given the Mini Program's app secret ({@code siyu.miniapp.secret}: the journey worker, the
     * miniapp-api) gets the Mini Program's API for subscription messages; the others get
     * {@link dev.siyu.core.miniapp.MiniProgram#NONE}, and their steps never take the subscription path.
     */
    @Produces
    @Singleton
    Ports ports(AwsClients aws, StoreSettings store, WeComApi wecom,
                @ConfigProperty(name = "siyu.miniapp.app-id") Optional<String> miniAppId,
                @ConfigProperty(name = "siyu.miniapp.secret") Optional<String> miniSecret,
                @ConfigProperty(name = "siyu.miniapp.api-base-url") Optional<String> miniApiBaseUrl) {
        Ports ports = DynamoPorts.create(aws, store, wecom, new CapacityMeter());
        if (miniAppId.isEmpty() || miniSecret.isEmpty()) {
            return ports;
        }
        return ports.withMiniProgram(new dev.siyu.wecom.WxJavaMiniProgram(miniAppId.get(), miniSecret.get(),
                miniApiBaseUrl.orElse(null)));
    }

    /**
     * The engine on the tenant's config: from {@code siyu.config.file} when set (local runs), else the
     * tenant's current stored version, read on first use and re-read when it changes (see {@link
     * TenantEngines}). Never the bundled example. The scoring models are the function's own bean when it
     * packages them (a {@link dev.siyu.core.port.CustomerScorer} producer), else none.
     */
    @Produces
    @Singleton
    TenantEngines tenantEngines(@ConfigProperty(name = "siyu.tenant") String tenant,
                                @ConfigProperty(name = "siyu.config.file") Optional<Path> file, AwsClients aws,
                                StoreSettings store, Ports ports, Clock clock, Conditions conditions,
                                jakarta.enterprise.inject.Instance<dev.siyu.core.port.CustomerScorer> scorers) {
        ConfigLoader loader = conditions.compiler().map(ConfigLoader::new).orElseGet(ConfigLoader::new);
        dev.siyu.core.port.CustomerScorer scorer = scorers.isResolvable() ? scorers.get()
                : dev.siyu.core.port.CustomerScorer.NONE;
        // The points-expiry job's stores: plain clients on the table, built in every function, used by the scheduler.
        dev.siyu.core.member.MemberStores members = new dev.siyu.core.member.MemberStores(
                new dev.siyu.store.DynamoPointsLedger(aws.dynamoDb(), store.tableName(), new CapacityMeter(),
                        ports.customers()),
                new dev.siyu.store.DynamoMemberDetailsStore(aws.dynamoDb(), store.tableName(), new CapacityMeter()));
        return new TenantEngines(tenant, file, new DynamoConfigStore(aws.dynamoDb(), store.tableName(),
                new CapacityMeter()), loader, config -> new Engine(ports, config.config(), config.version(),
                conditions.compiler().orElse(null), clock, Engine.Settings.pooled(), scorer, members),
                System::nanoTime);
    }

    /**
     * The engine on the config current now. Entry points built per event (the functions' wirings) follow a
     * newly applied config; a singleton that keeps it would not: ask {@link TenantEngines#current()} instead.
     */
    @Produces
    Engine engine(TenantEngines engines) {
        return engines.current();
    }

    /**
     * The CEL compiler when the function packages shared/conditions (the worker, the scheduler): the
     * callback runs no condition and leaves the 8 MB of CEL out of its zip. Found through
     * META-INF/services, which the native build also follows. One per function: it caches conditions.
     */
    @Produces
    @Singleton
    Conditions conditions() {
        return new Conditions(ServiceLoader.load(ConditionCompiler.class, FunctionProducers.class.getClassLoader())
                .findFirst());
    }

    /** The function's condition compiler, if it packages one. */
    public record Conditions(Optional<ConditionCompiler> compiler) { }
}
