package dev.siyu.core.port;

import java.util.Optional;

/** Each tenant's operator config (the YAML text), versioned: every save is a new version. */
public interface ConfigStore {
    /** Stores the text as the next version and makes it current; returns the version number. */
    long save(String tenant, String yamlText);

    Optional<String> current(String tenant);

    /** The current version with its number; journey runs remember the number they started on. */
    Optional<Version> currentVersion(String tenant);

    /**
     * Only the current version's number: what a function checks every few seconds to see whether its
     * config changed. Stores that can read it without the text do.
     */
    default java.util.OptionalLong currentNumber(String tenant) {
        return currentVersion(tenant).map(v -> java.util.OptionalLong.of(v.number())).orElse(java.util.OptionalLong.empty());
    }

    /** One stored version, e.g. the one a running journey started on. */
    Optional<String> version(String tenant, long number);

    record Version(long number, String yamlText) { }
}
