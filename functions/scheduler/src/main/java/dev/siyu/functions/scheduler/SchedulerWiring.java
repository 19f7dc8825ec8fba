package dev.siyu.functions.scheduler;

import dev.siyu.store.TenantConfig;
import dev.siyu.conditions.CelConditionCompiler;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.port.ConfigStore;
import dev.siyu.core.timer.TimerSweep;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoConfigStore;
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
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the scheduler's jobs from configuration (environment variables in Lambda, see
 * template.yaml) through {@link SchedulerAssembly}, so nothing here but reading settings.
 */
public class SchedulerWiring {
    /**
     * The scheduler never verifies callbacks, so it is not given the callback token and AES key (least
     * privilege). WeComSettings still checks those fields, so it gets these well-formed stand-ins.
     */
    static final String UNUSED_TOKEN = "unused-by-the-scheduler";
    static final String UNUSED_AES_KEY = "dW51c2VkIGJ5IHRoZSBqb3VybmV5IHdvcmtlciAhISE";

    @Produces
    @Singleton
    StoreSettings storeSettings(@ConfigProperty(name = "siyu.table") String table,
                                @ConfigProperty(name = "siyu.journey-queue-url") String queueUrl,
                                @ConfigProperty(name = "siyu.region") String region,
                                @ConfigProperty(name = "siyu.dynamodb.endpoint") Optional<URI> dynamoEndpoint,
                                @ConfigProperty(name = "siyu.sqs.endpoint") Optional<URI> sqsEndpoint) {
        return new StoreSettings(table, queueUrl, region, dynamoEndpoint, sqsEndpoint);
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
                                @ConfigProperty(name = "siyu.wecom.agent-id") Optional<Integer> agentId,
                                @ConfigProperty(name = "siyu.miniapp.app-id") Optional<String> miniProgramAppId,
                                @ConfigProperty(name = "siyu.wecom.call-budget-ms") long callBudgetMs,
                                @ConfigProperty(name = "siyu.wecom.api-base-url") Optional<String> apiBaseUrl) {
        WeComSettings settings = WeComSettings.of(corpId, secret, UNUSED_TOKEN, UNUSED_AES_KEY);
        settings = settings.withRetry(settings.retry().withCallBudget(Duration.ofMillis(callBudgetMs)));
        settings = apiBaseUrl.map(settings::withApiBaseUrl).orElse(settings);
        settings = agentId.map(settings::withAgentId).orElse(settings);
        return miniProgramAppId.map(settings::withMiniProgramAppId).orElse(settings);
    }

    /** One CEL compiler for the function: it caches compiled conditions. */
    @Produces
    @Singleton
    ConditionCompiler conditionCompiler() {
        return new CelConditionCompiler();
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

    @Produces
    @Singleton
    TenantConfig tenantConfig(@ConfigProperty(name = "siyu.tenant") String tenant,
                              @ConfigProperty(name = "siyu.config.file") Optional<Path> file, AwsClients aws,
                              StoreSettings store, ConditionCompiler conditions) {
        ConfigStore configs = new DynamoConfigStore(aws.dynamoDb(), store.tableName(), new CapacityMeter());
        return TenantConfig.load(configs, new ConfigLoader(conditions), tenant, file);
    }

    @Produces
    @Singleton
    Jobs jobs(TenantConfig config, ConditionCompiler conditions, AwsClients aws, StoreSettings store, WeComSettings wecom,
              Clock clock) {
        return new SchedulerAssembly(config.config(), config.version(), conditions, aws.dynamoDb(), aws.sqs(), store,
                new WxJavaWeComApi(wecom), new CapacityMeter(), clock,
                SchedulerAssembly.ioPool(TimerSweep.Settings.DEFAULT_SHARDS)).jobs;
    }
}
