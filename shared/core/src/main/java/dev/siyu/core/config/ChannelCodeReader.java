package dev.siyu.core.config;

import dev.siyu.core.channel.Placeholders;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * {@code scrm_config.channel_codes}: the QR codes customers scan. Checks that each routes to staff who
 * exist (per store for location_based codes), that its texts use placeholders that will be filled, and
 * that every state WeCom echoes back fits and is unique.
 */
final class ChannelCodeReader {
    static final List<String> CHANNEL_KEYS = List.of("name", "type", "staff_pool", "welcome_message", "auto_tags",
            "channel_tracking", "state");

    private final ProblemLog log;
    private final Roster roster;

    ChannelCodeReader(ProblemLog log, Roster roster) {
        this.log = log;
        this.roster = roster;
    }

    List<ChannelCodeSpec> read(YamlMap section) {
        List<ChannelCodeSpec> codes = new ArrayList<>();
        List<YamlMap> items = section.maps("channel_codes", true).orElse(null);
        if (items == null) {
            return codes;
        }
        if (items.isEmpty()) {
            log.add(section.at("channel_codes"), "at least one channel code is needed");
        }
        UniqueNames names = new UniqueNames(log, "channel code name");
        Map<String, String> stateOwners = new HashMap<>();
        for (YamlMap item : items) {
            item.allowOnly(CHANNEL_KEYS);
            Optional<String> name = item.string("name", true);
            Optional<RoutingType> type = item.string("type", true).flatMap(t -> routingType(t, item.at("type")));
            Optional<List<YamlMap.Item>> pools = item.strings("staff_pool", true);
            Optional<String> welcome = item.string("welcome_message", true);
            List<YamlMap.Item> autoTags = item.strings("auto_tags", false).orElse(List.of());
            Optional<String> tracking = item.string("channel_tracking", false);
            Optional<String> explicitState = item.string("state", false);

            RoutingType knownType = type.orElse(null);
            if (knownType == RoutingType.LOCATION_BASED && roster.storeEntries() == 0) {
                log.add(item.at("type"), "location_based codes need at least one store under 'stores'"
                        + " (each store gets its own contact way)");
            }
            pools.ifPresent(ps -> {
                if (ps.isEmpty()) {
                    log.add(item.at("staff_pool"), "at least one staff pool is needed");
                }
                ps.forEach(pool -> checkPool(pool, knownType));
            });
            welcome.ifPresent(w -> checkPlaceholders(w, item.at("welcome_message"), "welcome_message", knownType));
            autoTags.forEach(tag -> checkPlaceholders(tag.value(), tag.where(), "auto_tags", knownType));
            name.ifPresent(n -> names.add(n, item.at("name")));
            Optional<String> state = state(item, name, tracking, explicitState, knownType, stateOwners);

            if (name.isPresent() && type.isPresent() && pools.isPresent() && welcome.isPresent() && state.isPresent()) {
                // channel_tracking falls back to the state so analytics always has a channel key
                codes.add(new ChannelCodeSpec(name.get(), type.get(), YamlMap.Item.values(pools.get()), welcome.get(),
                        YamlMap.Item.values(autoTags), tracking.orElse(state.get()), state.get()));
            }
        }
        return codes;
    }

    private Optional<RoutingType> routingType(String text, Where where) {
        Optional<RoutingType> type = RoutingType.fromConfig(text);
        if (type.isEmpty()) {
            log.add(where, Suggestions.unknown("routing type", text,
                    Arrays.stream(RoutingType.values()).map(RoutingType::configName).toList()));
        }
        return type;
    }

    /** type is null when it was itself wrong; checks that depend on it are skipped then. */
    private void checkPool(YamlMap.Item pool, RoutingType type) {
        List<String> placeholders = Placeholders.find(pool.value());
        List<String> others = placeholders.stream().filter(p -> !p.equals(Placeholders.CITY)).toList();
        if (!others.isEmpty()) {
            log.add(pool.where(), "unknown placeholder {" + others.get(0) + "} in a staff pool; only {city} is"
                    + " filled there (on location_based codes)");
            return;
        }
        if (placeholders.isEmpty()) {
            if (!roster.pools().contains(pool.value())) {
                log.add(pool.where(), Suggestions.unknown("staff pool", pool.value(), roster.pools()));
            }
            return;
        }
        if (type == null) {
            return;
        }
        if (type != RoutingType.LOCATION_BASED) {
            log.add(pool.where(), "{city} in a staff pool is only filled on location_based codes (this code is "
                    + type.configName() + ")");
            return;
        }
        for (Store store : roster.stores()) {
            String resolved = pool.value().replace("{" + Placeholders.CITY + "}", store.city());
            if (!roster.pools().contains(resolved)) {
                log.add(pool.where(), "staff pool '" + pool.value() + "' is '" + resolved + "' for store "
                        + store.storeId() + " (city " + store.city() + "), but no staff member is in that pool"
                        + " (known: " + String.join(", ", roster.pools()) + ")");
            }
        }
    }

    private void checkPlaceholders(String text, Where where, String field, RoutingType type) {
        for (String name : Placeholders.find(text)) {
            if (!Placeholders.KNOWN.contains(name)) {
                List<String> known = Placeholders.KNOWN.stream().sorted().toList();
                String message = "unknown placeholder {" + name + "} in " + field + " (known: "
                        + known.stream().map(k -> "{" + k + "}").collect(Collectors.joining(", ")) + ")";
                log.add(where, Suggestions.closest(name, known)
                        .map(c -> message + "; did you mean {" + c + "}?").orElse(message));
            } else if (Placeholders.STORE_ONLY.contains(name) && type != null && type != RoutingType.LOCATION_BASED) {
                log.add(where, "{" + name + "} is only filled on location_based codes (this code is "
                        + type.configName() + ")");
            }
        }
    }

    /**
     * The state WeCom echoes back: state, else channel_tracking, else a slug of the name. Checks the
     * length of every state that will exist (per store for location_based) and that none repeats.
     */
    private Optional<String> state(YamlMap item, Optional<String> name, Optional<String> tracking,
                                   Optional<String> explicitState, RoutingType type, Map<String, String> owners) {
        String base;
        Where where;
        String hint;
        if (explicitState.isPresent()) {
            base = explicitState.get();
            where = item.at("state");
            hint = "";
        } else if (tracking.isPresent()) {
            base = tracking.get();
            where = item.at("channel_tracking");
            hint = " (taken from channel_tracking; set a shorter state:)";
        } else if (name.isPresent()) {
            where = item.at("name");
            base = slug(name.get(), type == RoutingType.LOCATION_BASED ? roomBeforeStoreSuffix() : ChannelCodeSpec.MAX_STATE_LENGTH);
            if (base.isEmpty()) {
                log.add(where, "no state can be derived from the name '" + name.get() + "' (it has no a-z or 0-9);"
                        + " set state: explicitly");
                return Optional.empty();
            }
            hint = " (derived from the name; set state: explicitly)";
        } else {
            return Optional.empty();
        }

        Map<String, String> effective = new LinkedHashMap<>();
        if (type == RoutingType.LOCATION_BASED) {
            for (Store store : roster.stores()) {
                effective.put(base + "." + store.storeId(), " for store " + store.storeId());
            }
        } else {
            effective.put(base, "");
        }
        String owner = item.where().path() + name.map(n -> " '" + n + "'").orElse("") + " (line " + item.where().line() + ")";
        for (Map.Entry<String, String> entry : effective.entrySet()) {
            String state = entry.getKey();
            int length = state.codePointCount(0, state.length());
            if (length > ChannelCodeSpec.MAX_STATE_LENGTH) {
                log.add(where, "state '" + state + "'" + entry.getValue() + " is " + length
                        + " characters; WeCom allows at most " + ChannelCodeSpec.MAX_STATE_LENGTH + hint);
            }
            String first = owners.putIfAbsent(state, owner);
            if (first != null) {
                log.add(where, "state '" + state + "'" + entry.getValue() + " is already used by " + first
                        + "; every channel needs its own state" + hint);
            }
        }
        return Optional.of(base);
    }

    /** Leaves room for ".store_id" so a derived location_based state fits at every store. */
    private int roomBeforeStoreSuffix() {
        int longestStoreId = roster.stores().stream().mapToInt(s -> s.storeId().length()).max().orElse(0);
        return Math.max(1, ChannelCodeSpec.MAX_STATE_LENGTH - 1 - longestStoreId);
    }

    /** Lowercase a-z, 0-9 and '_', at most maxLength long: "Livestream QR Code" becomes "livestream_qr_code". */
    static String slug(String name, int maxLength) {
        String slug = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_+|_+$", "");
        if (slug.length() > maxLength) {
            slug = slug.substring(0, maxLength).replaceAll("_+$", "");
        }
        return slug;
    }
}
