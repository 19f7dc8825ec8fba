package dev.siyu.core.config;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/** {@code tenant} and {@code timezone}: who the blueprint belongs to and whose clock it runs on. */
final class TenantReader {
    // The tenant id is part of every table key (T#<tenant>#...), so '#' and friends must stay out.
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    private final ProblemLog log;

    TenantReader(ProblemLog log) {
        this.log = log;
    }

    Optional<String> tenant(YamlMap top) {
        return top.string("tenant", true).filter(t -> {
            if (TENANT.matcher(t).matches()) {
                return true;
            }
            log.add(top.at("tenant"), "tenant '" + t + "' must be 1-64 lowercase letters, digits, '-' or '_'"
                    + " (it is part of every table key)");
            return false;
        });
    }

    Optional<ZoneId> timezone(YamlMap top) {
        return top.string("timezone", true).flatMap(zone -> {
            try {
                return Optional.of(ZoneId.of(zone));
            } catch (DateTimeException e) {
                String message = "unknown time zone '" + zone + "'; use an IANA name such as Asia/Shanghai";
                log.add(top.at("timezone"), Suggestions.closest(zone, new TreeSet<>(ZoneId.getAvailableZoneIds()))
                        .map(c -> message + "; did you mean '" + c + "'?").orElse(message));
                return Optional.empty();
            }
        });
    }
}
