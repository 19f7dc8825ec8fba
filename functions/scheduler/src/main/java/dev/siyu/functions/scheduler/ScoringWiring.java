package dev.siyu.functions.scheduler;

import dev.siyu.analytics.profiles.DirectoryModelStore;
import dev.siyu.analytics.profiles.ProfileScoring;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.CustomerScorer;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The nightly scoring's models in the scheduler: BG/NBD, Gamma-Gamma, personas and propensities (pure Java);
 * without XGBoost the churn score is BG/NBD's P(no purchase in the label window), as the CLI falls back. The
 * fitted model is kept in {@code siyu.scoring.model-dir} (Lambda's /tmp: a cold instance fits again, well under
 * a second for 25,000 customers).
 */
public class ScoringWiring {
    private static final System.Logger LOG = System.getLogger(ScoringWiring.class.getName());

    @Produces
    @Singleton
    CustomerScorer scorer(@ConfigProperty(name = "siyu.scoring.model-dir", defaultValue = "/tmp/siyu-models") Path dir) {
        return new ProfileScoring(null, new DirectoryModelStore(dir),
                line -> LOG.log(System.Logger.Level.INFO, JsonLog.line("scoring", "progress", line)));
    }
}
