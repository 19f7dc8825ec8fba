package dev.siyu.core.ingest;

import java.util.Optional;

/** The HMAC secret of each source system allowed to send orders and events (a secret parameter in AWS). */
@FunctionalInterface
public interface SourceSecrets {
    /** source as the sender names it in X-Siyu-Source, lower case; empty for a source nobody configured. */
    Optional<byte[]> secret(String source);
}
