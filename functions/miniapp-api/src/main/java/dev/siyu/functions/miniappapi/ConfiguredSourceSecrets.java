package dev.siyu.functions.miniappapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.siyu.core.ingest.SourceSecrets;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Source secrets from the function's configuration: in AWS one JSON object (source -> secret) resolved from
 * the ingest secret into SIYU_INGEST_SECRETS; locally one variable per source, SIYU_INGEST_SECRET_POS and so
 * on (config/local.env). A secret shorter than 16 bytes is refused at start: it would be guessable.
 */
final class ConfiguredSourceSecrets implements SourceSecrets {
    private static final int MIN_BYTES = 16;
    private final Map<String, byte[]> fromJson = new HashMap<>();
    private final Function<String, Optional<String>> single;

    ConfiguredSourceSecrets(Optional<String> json, Function<String, Optional<String>> single) {
        this.single = single;
        if (json.isPresent() && !json.get().isBlank()) {
            try {
                JsonNode root = new ObjectMapper().readTree(json.get());
                root.fields().forEachRemaining(e -> fromJson.put(e.getKey(), checked(e.getKey(), e.getValue().asText())));
            } catch (IOException e) {
                throw new IllegalStateException("SIYU_INGEST_SECRETS must be a JSON object of source -> secret", e);
            }
        }
    }

    @Override
    public Optional<byte[]> secret(String source) {
        byte[] s = fromJson.get(source);
        return s != null ? Optional.of(s.clone())
                : single.apply(source).filter(v -> !v.isBlank()).map(v -> checked(source, v));
    }

    private static byte[] checked(String source, String secret) {
        byte[] b = secret.getBytes(StandardCharsets.UTF_8);
        if (b.length < MIN_BYTES) {
            throw new IllegalStateException("the ingest secret of source " + source + " has " + b.length
                    + " bytes; use at least " + MIN_BYTES);
        }
        return b;
    }
}
