package dev.siyu.core.journey;

import java.util.List;
import java.util.Optional;

/**
 * The journeys of each config version. A run remembers the version it started on and keeps reading
 * that version's steps, so editing a journey never changes what a running customer gets next.
 */
public interface JourneyCatalog {
    /** The version new runs start on. */
    long currentVersion();

    List<Journey> journeys(long version);

    default Optional<Journey> journey(String name, long version) {
        return journeys(version).stream().filter(j -> j.name().equals(name)).findFirst();
    }
}
