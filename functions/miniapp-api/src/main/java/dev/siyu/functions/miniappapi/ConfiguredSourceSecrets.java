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
 * Source secrets from the function's configuration: in AWS the ingest secret's {@code sources}, resolved into
 * SIYU_INGEST_SECRETS as {@code pos=<secret> webshop=<secret>} (or a JSON object of source -> secret); locally
 * one variable per source, SIYU_INGEST_SECRET_POS and so on (config/local.env). A secret shorter than 16 bytes is refused at start: it would be guessable.
 */
final class ConfiguredSourceSecrets implements SourceSecrets {
    private static final int MIN_BYTES = 16;
    private final Map<String, byte[]> fromJson = new HashMap<>();
    private final Function<String, Optional<String>> single;

    ConfiguredSourceSecrets(Optional<String> json, Function<String, Optional<String>> single) {
        this.single = single;
        if (json.isPresent() && !json.get().isBlank() && !json.get().trim().startsWith("{")) {
            for (String pair : json.get().trim().split("[\\s,]+")) {
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new IllegalStateException("SIYU_INGEST_SECRETS must read source=secret, separated by spaces");
                }
                fromJson.put(pair.substring(0, eq).toLowerCase(java.util.Locale.ROOT),
                        checked(pair.substring(0, eq), pair.substring(eq + 1)));
            }
        } else if (json.isPresent() && !json.get().isBlank()) {
            try {
                JsonNode root = new ObjectMapper().readTree(json.get());
                // Other keys of the secret (identityHashKey) are no source: sources are lower case.
                root.fields().forEachRemaining(e -> {
                    if (e.getKey().matches("[a-z0-9_]{1,32}")) {
                        fromJson.put(e.getKey(), checked(e.getKey(), e.getValue().asText()));
                    }
                });
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
