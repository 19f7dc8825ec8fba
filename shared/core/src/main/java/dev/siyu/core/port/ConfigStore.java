package dev.siyu.core.port;

import java.util.Optional;

/** Each tenant's operator config (the YAML text), versioned: every save is a new version. */
public interface ConfigStore {
    /** Stores the text as the next version and makes it current; returns the version number. */
    long save(String tenant, String yamlText);

    Optional<String> current(String tenant);

    /** The current version with its number; journey runs remember the number they started on. */
    Optional<Version> currentVersion(String tenant);

    /** One stored version, e.g. the one a running journey started on. */
    Optional<String> version(String tenant, long number);

    record Version(long number, String yamlText) { }
}
