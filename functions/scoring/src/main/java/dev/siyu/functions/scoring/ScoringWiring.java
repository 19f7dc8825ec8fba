package dev.siyu.functions.scoring;

import dev.siyu.analytics.profiles.DirectoryModelStore;
import dev.siyu.analytics.profiles.ProfileScoring;
import dev.siyu.analytics.xgboost.XgboostLearner;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerScorer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** The scoring models with the XGBoost booster; the trained model is kept in {@code siyu.scoring.model-dir}. */
public class ScoringWiring {
    private static final System.Logger LOG = System.getLogger(ScoringWiring.class.getName());

    @Produces
    @Singleton
    CustomerScorer scorer(@ConfigProperty(name = "siyu.scoring.model-dir") Path dir) {
        return new ProfileScoring(new XgboostLearner(line -> LOG.log(System.Logger.Level.INFO, JsonLog.line("xgboost", "progress", line))),
                new DirectoryModelStore(dir),
                line -> LOG.log(System.Logger.Level.INFO, JsonLog.line("scoring", "progress", line)));
    }
}
