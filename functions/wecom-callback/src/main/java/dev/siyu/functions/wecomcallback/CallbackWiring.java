package dev.siyu.functions.wecomcallback;

import dev.siyu.core.config.ConfigLoader;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.ConfigStore;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoConfigStore;
import dev.siyu.store.StoreSettings;
import dev.siyu.wecom.CallbackEndpoint;
import dev.siyu.wecom.WeComSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Builds the callback's object graph from configuration (environment variables in Lambda, see
 * template.yaml). Plain constructors all the way down, so the local stack and the benchmarks can
 * build the same graph without CDI.
 */
public class CallbackWiring {
    private static final System.Logger LOG = System.getLogger(CallbackWiring.class.getName());

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
                                @ConfigProperty(name = "siyu.wecom.token") String token,
                                @ConfigProperty(name = "siyu.wecom.aes-key") String aesKey,
                                @ConfigProperty(name = "siyu.wecom.api-base-url") Optional<String> apiBaseUrl) {
        WeComSettings settings = WeComSettings.of(corpId, secret, token, aesKey);
        return apiBaseUrl.map(settings::withApiBaseUrl).orElse(settings);
    }

    @Produces
    @Singleton
    ScrmConfig scrmConfig(@ConfigProperty(name = "siyu.tenant") String tenant,
                          @ConfigProperty(name = "siyu.config.file") Optional<Path> file, ConfigStore configs) {
        ConfigLoader loader = new ConfigLoader();
        if (file.isPresent()) {
            return loader.load(file.get());
        }
        Optional<String> stored = configs.current(tenant);
        if (stored.isPresent()) {
            return loader.load(stored.get(), "table:" + tenant);
        }
        LOG.log(Level.WARNING, JsonLog.line("no config stored for tenant; using the bundled example", "tenant", tenant));
        try (InputStream in = CallbackWiring.class.getResourceAsStream("/scrm.example.yaml")) {
            return loader.load(new String(in.readAllBytes(), StandardCharsets.UTF_8), "scrm.example.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the bundled scrm.example.yaml", e);
        }
    }

    @Produces
    @Singleton
    ConfigStore configStore(AwsClients aws, StoreSettings settings) {
        return new DynamoConfigStore(aws.dynamoDb(), settings.tableName(), new CapacityMeter());
    }

    @Produces
    @Singleton
    CallbackEndpoint callbackEndpoint(ScrmConfig config, AwsClients aws, StoreSettings store, WeComSettings wecom) {
        return CallbackAssembly.endpoint(config, aws.dynamoDb(), aws.sqs(), store, wecom, new CapacityMeter(),
                Clock.systemUTC());
    }
}
