package dev.siyu.core.port;

import java.util.Optional;

/** Each tenant's operator config (the YAML text), versioned: every save is a new version. */
public interface ConfigStore {
    /** Stores the text as the next version and makes it current; returns the version number. */
    long save(String tenant, String yamlText);

    Optional<String> current(String tenant);
}
