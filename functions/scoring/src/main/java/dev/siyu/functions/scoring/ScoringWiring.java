package dev.siyu.functions.scoring;

import dev.siyu.analytics.profiles.DirectoryModelStore;
import dev.siyu.analytics.profiles.ModelStore;
import dev.siyu.analytics.profiles.ProfileScoring;
import dev.siyu.analytics.xgboost.XgboostLearner;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerScorer;
import dev.siyu.models.s3.ModelBucket;
import dev.siyu.models.s3.S3ModelStore;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The scoring models with the XGBoost booster. The trained models live in S3 when {@code siyu.scoring.model-bucket}
 * names a bucket (AWS: template.yaml's ModelBucket), else in the directory {@code siyu.scoring.model-dir} (./siyu
 * local, tests).
 */
public class ScoringWiring {
    private static final System.Logger LOG = System.getLogger(ScoringWiring.class.getName());

    @Produces
    @Singleton
    ModelStore modelStore(@ConfigProperty(name = "siyu.scoring.model-bucket") Optional<String> bucket,
                          @ConfigProperty(name = "siyu.scoring.model-dir") Path dir,
                          @ConfigProperty(name = "siyu.region") String region,
                          @ConfigProperty(name = "siyu.s3.endpoint") Optional<URI> endpoint, Clock clock) {
        if (bucket.isPresent() && !bucket.get().isBlank()) {
            LOG.log(System.Logger.Level.INFO, JsonLog.line("scoring models in S3", "bucket", bucket.get()));
            return new S3ModelStore(ModelBucket.client(region, endpoint), bucket.get(), clock);
        }
        return new DirectoryModelStore(dir);
    }

    @Produces
    @Singleton
    CustomerScorer scorer(ModelStore models) {
        return new ProfileScoring(new XgboostLearner(line -> LOG.log(System.Logger.Level.INFO, JsonLog.line("xgboost", "progress", line))),
                models, line -> LOG.log(System.Logger.Level.INFO, JsonLog.line("scoring", "progress", line)));
    }
}
