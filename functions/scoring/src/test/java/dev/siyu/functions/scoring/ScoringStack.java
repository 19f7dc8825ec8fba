package dev.siyu.functions.scoring;

import dev.siyu.testkit.JobStack;
import dev.siyu.testkit.LocalServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/** The scoring function's stack in tests: {@link JobStack} on the table {@value #TABLE}, models in a temporary directory. */
public final class ScoringStack extends JobStack {
    static final String TABLE = "siyu-scoring-test";

    private ScoringStack(LocalServices services) {
        super(services, "scoring");
    }

    static ScoringStack start() {
        LocalServices services = LocalServices.start();
        try {
            return new ScoringStack(services);
        } catch (RuntimeException e) {
            services.close();
            throw e;
        }
    }

    @Override
    public Map<String, String> functionConfig() {
        Map<String, String> config = new HashMap<>(super.functionConfig());
        try {
            config.put("siyu.scoring.model-dir", Files.createTempDirectory("siyu-scoring-models").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.copyOf(config);
    }
}
