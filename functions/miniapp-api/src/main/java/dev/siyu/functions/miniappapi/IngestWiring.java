package dev.siyu.functions.miniappapi;

import dev.siyu.core.engine.Ports;
import dev.siyu.core.ingest.IngestEndpoint;
import dev.siyu.core.ingest.SourceSecrets;
import dev.siyu.core.member.IdentityKeys;
import dev.siyu.core.miniapp.MemberDetailsMerge;
import dev.siyu.core.port.PointsLedger;
import dev.siyu.function.TenantEngines;
import dev.siyu.store.AwsClients;
import dev.siyu.store.CapacityMeter;
import dev.siyu.store.DynamoPointsLedger;
import dev.siyu.store.StoreSettings;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The ingest routes' entry point from the shared engine (shared/function builds the rest). */
public class IngestWiring {
    @Produces
    @Singleton
    PointsLedger pointsLedger(AwsClients aws, StoreSettings store, Ports ports) {
        return new DynamoPointsLedger(aws.dynamoDb(), store.tableName(), new CapacityMeter(), ports.customers());
    }

    @Produces
    @Singleton
    IdentityKeys identityKeys(@ConfigProperty(name = "siyu.identity.hash-key") String key) {
        return new IdentityKeys(key.getBytes(StandardCharsets.UTF_8));
    }

    @Produces
    @Singleton
    SourceSecrets sourceSecrets(Config config, @ConfigProperty(name = "siyu.ingest.secrets") Optional<String> all) {
        return new ConfiguredSourceSecrets(all, source -> config.getOptionalValue("siyu.ingest.secret." + source,
                String.class));
    }

    @Produces
    @Singleton
    IngestEndpoint ingestEndpoint(TenantEngines engines, PointsLedger ledger, IdentityKeys keys, SourceSecrets secrets,
                                  MemberDetailsMerge details) {
        return new IngestEndpoint(secrets, new MemberServicesOnEngines(engines::current, ledger, keys, details)::current);
    }
}
