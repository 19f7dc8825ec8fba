package dev.siyu.core.config;

import dev.siyu.core.channel.Placeholders;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.gate.BusinessHours;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.journey.Journey;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;

/**
 * Reads and validates the operator blueprint (config/scrm.example.yaml). It works on SnakeYAML
 * nodes rather than binding to classes so that every problem can name its line, and it keeps going
 * after the first problem so the operator gets the whole list at once.
 *
 * <p>Conditions (group entry conditions, rule {@code when}, journey triggers, steps and exits) are
 * compiled when the loader is given a {@link ConditionCompiler}; the no-argument loader, for code
 * without CEL on its classpath, checks only their brackets and quotes.
 */
public class ConfigLoader {
    public static final int MIN_DAILY_ADD_LIMIT = 1;
    public static final int MAX_DAILY_ADD_LIMIT = 10_000;
    /** WeCom's cap on the members of one customer group. */
    public static final int MAX_GROUP_MEMBERS = 500;

    static final List<String> TOP_KEYS = List.of("tenant", "timezone", "staff", "stores", "scrm_config");
    /**
     * Sections of the blueprint that other parts of the suite read and validate (scoring); accepted
     * here so the one file can carry them.
     */
    static final List<String> OTHER_SECTIONS = List.of("scoring");
    /** Optional top-level sections this loader reads; left out, they are empty or their defaults apply. */
    static final List<String> OPTIONAL_SECTIONS = List.of("guardrails", "lifecycle_automation", "sop_calendar",
            "community", "offboarding");
    static final List<String> GUARDRAILS_KEYS = List.of("business_hours", "mass_messages_per_month",
            "moments_posts_per_day", "journey_messages_per_week", "promotional_share_max", "content_mix_window",
            "sensitive_industry");
    static final List<String> STAFF_KEYS = List.of("user_id", "name", "pools", "daily_add_limit");
    static final List<String> STORE_KEYS = List.of("store_id", "store_name", "city");
    static final List<String> SCRM_KEYS = List.of("channel_codes", "tag_system", "auto_tagging_rules", "group_config");
    static final List<String> CHANNEL_KEYS = List.of("name", "type", "staff_pool", "welcome_message", "auto_tags",
            "channel_tracking", "state");
    static final List<String> TAG_SYSTEM_KEYS = List.of("dimensions");
    static final List<String> DIMENSION_KEYS = List.of("name", "tags");
    static final List<String> RULE_KEYS = List.of("trigger", "when", "add_tags", "remove_tags");
    static final List<String> GROUP_CONFIG_KEYS = List.of("types");
    static final List<String> GROUP_TYPE_KEYS = List.of("name", "max_members", "entry_condition", "auto_welcome",
            "sop_template");

    // The tenant id is part of every table key (T#<tenant>#...), so '#' and friends must stay out.
    private static final Pattern TENANT = Pattern.compile("[a-z0-9][a-z0-9_-]{0,63}");

    /** null: conditions get the bracket-and-quote check only. */
    private final ConditionCompiler compiler;

    /** A loader that checks conditions only for balanced brackets and quotes (no expression engine). */
    public ConfigLoader() {
        this.compiler = null;
    }

    /** A loader that compiles every condition, reporting a bad one at its line and column. */
    public ConfigLoader(ConditionCompiler compiler) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
    }

    /** Reads a config file; the file name is the source in problem messages. */
    public ScrmConfig load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read config " + file, e);
        }
        return load(text, file.toString());
    }

    /**
     * Parses and validates yamlText.
     *
     * @param sourceName how problems name the text, usually its file name
     * @throws ConfigException with every problem found, in file order
     */
    public ScrmConfig load(String yamlText, String sourceName) {
        Objects.requireNonNull(yamlText, "yamlText");
        Objects.requireNonNull(sourceName, "sourceName");
        ProblemLog log = new ProblemLog(sourceName);
        Node root;
        try {
            // Yaml is not thread-safe, so one per load; compose() builds nodes only, never objects.
            root = new Yaml(new LoaderOptions()).compose(new StringReader(yamlText));
        } catch (MarkedYAMLException e) {
            Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
            log.add(mark == null ? new Where("", 1, 1) : new Where("", mark.getLine() + 1, mark.getColumn() + 1),
                    "YAML syntax: " + e.getProblem() + context);
            throw new ConfigException(log.inFileOrder());
        } catch (YAMLException e) {
            log.add(new Where("", 1, 1), "YAML syntax: " + e.getMessage());
            throw new ConfigException(log.inFileOrder());
        }
        if (root == null || YamlMap.isNull(root)) {
            log.add(new Where("", 1, 1), "the config is empty; expected a mapping with "
                    + String.join(", ", TOP_KEYS));
            throw new ConfigException(log.inFileOrder());
        }
        if (!(root instanceof MappingNode)) {
            log.add(Where.of("", root), "the config must be a mapping with " + String.join(", ", TOP_KEYS)
                    + ", got " + YamlMap.describe(root));
            throw new ConfigException(log.inFileOrder());
        }
        ScrmConfig config = new Reading(log, new ConditionCheck(compiler, log)).read(root);
        if (!log.isEmpty()) {
            throw new ConfigException(log.inFileOrder());
        }
        return config;
    }

    /** The state of one load: what earlier sections declared, which later sections refer to. */
    private static final class Reading {
        private final ProblemLog log;
        private final ConditionCheck conditions;
        private final Set<String> knownPools = new TreeSet<>();
        private final List<Store> stores = new ArrayList<>();
        private int storeEntries;
        private final Set<String> declaredTags = new HashSet<>();
        private boolean tagSystemRead;
        /** Group type name -> its sop_template as written, for invites and the SOP calendar check. */
        private final Map<String, Optional<YamlMap.Item>> groupTemplates = new LinkedHashMap<>();

        Reading(ProblemLog log, ConditionCheck conditions) {
            this.log = log;
            this.conditions = conditions;
        }

        /** The config, or null when a problem was logged (the caller throws then). */
        ScrmConfig read(Node root) {
            YamlMap top = YamlMap.of(root, Where.of("", root), log).orElseThrow();
            top.allowOnly(Stream.of(TOP_KEYS, OPTIONAL_SECTIONS, OTHER_SECTIONS).flatMap(List::stream).toList());
            Optional<String> tenant = tenant(top);
            Optional<ZoneId> timezone = timezone(top);
            List<StaffMember> staff = staff(top);
            readStores(top);

            List<ChannelCodeSpec> codes = List.of();
            Optional<TagSystem> tagSystem = Optional.empty();
            List<AutoTaggingRule> rules = List.of();
            List<GroupType> groups = List.of();
            Optional<YamlMap> scrm = top.map("scrm_config", true);
            if (scrm.isPresent()) {
                YamlMap section = scrm.get();
                section.allowOnly(SCRM_KEYS);
                codes = channelCodes(section);
                tagSystem = tagSystem(section);
                rules = autoTaggingRules(section);
                groups = groupTypes(section);
            }
            Guardrails guardrails = guardrails(top);
            // journeys, calendars and community refer to what scrm_config declared, so they come after it
            Declared declared = new Declared(tagSystemRead, declaredTags, groupTemplates, knownPools);
            List<Journey> journeys = top.map("lifecycle_automation", false)
                    .map(section -> new JourneyReader(log, conditions, declared).read(section)).orElse(List.of());
            Optional<SopCalendar> calendar = top.map("sop_calendar", false)
                    .map(section -> new SopCalendarReader(log, declared).read(section));
            checkSopTemplates(calendar, top.has("sop_calendar"));
            CommunityReader communityReader = new CommunityReader(log, declared);
            Community community = top.map("community", false).map(communityReader::community).orElse(null);
            Community.Offboarding offboarding = top.map("offboarding", false).map(communityReader::offboarding)
                    .orElse(null);
            if (!log.isEmpty()) {
                return null;
            }
            return new ScrmConfig(tenant.orElseThrow(), timezone.orElseThrow(), staff, stores, codes,
                    tagSystem.orElseThrow(), rules, groups, guardrails, journeys, calendar.orElse(null), community,
                    offboarding);
        }

        /** Every group type's sop_template must be a calendar, or the group would get no content at all. */
        private void checkSopTemplates(Optional<SopCalendar> calendar, boolean sectionWritten) {
            Set<String> names = calendar.map(c -> (Set<String>) new TreeSet<>(c.templates().keySet()))
                    .orElse(Set.of());
            for (Optional<YamlMap.Item> template : groupTemplates.values()) {
                if (template.isEmpty() || names.contains(template.get().value())) {
                    continue;
                }
                String value = template.get().value();
                if (!sectionWritten) {
                    log.add(template.get().where(), "sop_template '" + value + "' is not in sop_calendar: add the"
                            + " section with this template's daily and weekly content");
                } else {
                    String message = "sop_template '" + value + "' is not in sop_calendar (it has: "
                            + (names.isEmpty() ? "none" : String.join(", ", names)) + ")";
                    log.add(template.get().where(), Suggestions.closest(value, names)
                            .map(c -> message + "; did you mean '" + c + "'?").orElse(message));
                }
            }
        }

        /**
         * The outreach limits; every field is optional and falls back to the seed's default. A wrong field
         * is reported and its default used, so the rest of the section is still checked.
         */
        private Guardrails guardrails(YamlMap top) {
            Guardrails defaults = Guardrails.DEFAULTS;
            Optional<YamlMap> found = top.map("guardrails", false);
            if (found.isEmpty()) {
                return defaults;
            }
            YamlMap section = found.get();
            section.allowOnly(GUARDRAILS_KEYS);
            BusinessHours hours = section.string("business_hours", false).flatMap(text -> {
                Optional<BusinessHours> parsed = BusinessHours.parse(text);
                if (parsed.isEmpty()) {
                    log.add(section.at("business_hours"), "business_hours '" + text + "' must be two different"
                            + " 24-hour times, start-end, such as \"09:00-21:00\"");
                }
                return parsed;
            }).orElse(defaults.businessHours());
            int mass = bounded(section, "mass_messages_per_month", 0, Guardrails.MAX_MASS_MESSAGES_PER_MONTH,
                    " (the seed's rule: at most 4 mass messages per customer per month)")
                    .orElse(defaults.massMessagesPerMonth());
            int moments = bounded(section, "moments_posts_per_day", 0, Guardrails.MAX_MOMENTS_POSTS_PER_DAY,
                    " (the seed's rule: at most 1 Moments post per day)").orElse(defaults.momentsPostsPerDay());
            int journey = bounded(section, "journey_messages_per_week", 0, Guardrails.MAX_JOURNEY_MESSAGES_PER_WEEK, "")
                    .orElse(defaults.journeyMessagesPerWeek());
            double share = share(section).orElse(defaults.promotionalShareMax());
            int window = bounded(section, "content_mix_window", 1, Guardrails.MAX_CONTENT_MIX_WINDOW, "")
                    .orElse(defaults.contentMixWindow());
            boolean sensitive = section.bool("sensitive_industry").orElse(defaults.sensitiveIndustry());
            return new Guardrails(hours, mass, moments, journey, share, window, sensitive);
        }

        private Optional<Integer> bounded(YamlMap section, String key, int min, int max, String why) {
            return section.integer(key, false).filter(v -> {
                if (v >= min && v <= max) {
                    return true;
                }
                log.add(section.at(key), key + " " + v + " is outside " + min + ".." + max + why);
                return false;
            });
        }

        private Optional<Double> share(YamlMap section) {
            String key = "promotional_share_max";
            BigDecimal max = BigDecimal.valueOf(Guardrails.MAX_PROMOTIONAL_SHARE);
            return section.string(key, false).flatMap(text -> {
                BigDecimal value;
                try {
                    value = new BigDecimal(text.trim());
                } catch (NumberFormatException e) {
                    log.add(section.at(key), key + " must be a share such as 0.30, got '" + text + "'");
                    return Optional.empty();
                }
                if (value.signum() < 0 || value.compareTo(max) > 0) {
                    // 30 for 30% is the likely slip, so say how to write it
                    String hint = value.compareTo(BigDecimal.ONE) > 0 ? "; write a share: 0.30 for 30%" : "";
                    log.add(section.at(key), key + " " + text + " is outside 0.." + max
                            + " (the seed's rule: under 30% promotional)" + hint);
                    return Optional.empty();
                }
                return Optional.of(value.doubleValue());
            });
        }

        private Optional<String> tenant(YamlMap top) {
            return top.string("tenant", true).filter(t -> {
                if (TENANT.matcher(t).matches()) {
                    return true;
                }
                log.add(top.at("tenant"), "tenant '" + t + "' must be 1-64 lowercase letters, digits, '-' or '_'"
                        + " (it is part of every table key)");
                return false;
            });
        }

        private Optional<ZoneId> timezone(YamlMap top) {
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

        private List<StaffMember> staff(YamlMap top) {
            List<StaffMember> staff = new ArrayList<>();
            List<YamlMap> items = top.maps("staff", true).orElse(null);
            if (items == null) {
                return staff;
            }
            if (items.isEmpty()) {
                log.add(top.at("staff"), "at least one staff member is needed to receive customers");
            }
            Map<String, Where> userIds = new HashMap<>();
            for (YamlMap item : items) {
                item.allowOnly(STAFF_KEYS);
                Optional<String> userId = item.string("user_id", true);
                Optional<String> name = item.string("name", true);
                Optional<List<YamlMap.Item>> pools = item.strings("pools", true);
                Optional<Integer> limit = item.integer("daily_add_limit", true).filter(l -> {
                    if (l >= MIN_DAILY_ADD_LIMIT && l <= MAX_DAILY_ADD_LIMIT) {
                        return true;
                    }
                    log.add(item.at("daily_add_limit"), "daily_add_limit " + l + " is outside "
                            + MIN_DAILY_ADD_LIMIT + ".." + MAX_DAILY_ADD_LIMIT);
                    return false;
                });
                pools.ifPresent(ps -> ps.forEach(pool -> {
                    if (Placeholders.find(pool.value()).isEmpty()) {
                        knownPools.add(pool.value());
                    } else {
                        log.add(pool.where(), "a staff member's pool is a concrete name such as store_staff_shanghai;"
                                + " '" + pool.value() + "' with {placeholders} belongs in a channel code's staff_pool");
                    }
                }));
                userId.ifPresent(id -> firstOrDuplicate(userIds, id, item.at("user_id"), "user_id"));
                if (userId.isPresent() && name.isPresent() && pools.isPresent() && limit.isPresent()) {
                    staff.add(new StaffMember(userId.get(), name.get(), values(pools.get()), limit.get()));
                }
            }
            return staff;
        }

        private void readStores(YamlMap top) {
            List<YamlMap> items = top.maps("stores", false).orElse(List.of());
            storeEntries = items.size();
            Map<String, Where> storeIds = new HashMap<>();
            for (YamlMap item : items) {
                item.allowOnly(STORE_KEYS);
                Optional<String> storeId = item.string("store_id", true);
                Optional<String> storeName = item.string("store_name", true);
                Optional<String> city = item.string("city", true);
                storeId.ifPresent(id -> firstOrDuplicate(storeIds, id, item.at("store_id"), "store_id"));
                if (storeId.isPresent() && storeName.isPresent() && city.isPresent()) {
                    stores.add(new Store(storeId.get(), storeName.get(), city.get()));
                }
            }
        }

        private List<ChannelCodeSpec> channelCodes(YamlMap section) {
            List<ChannelCodeSpec> codes = new ArrayList<>();
            List<YamlMap> items = section.maps("channel_codes", true).orElse(null);
            if (items == null) {
                return codes;
            }
            if (items.isEmpty()) {
                log.add(section.at("channel_codes"), "at least one channel code is needed");
            }
            Map<String, Where> names = new HashMap<>();
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
                if (knownType == RoutingType.LOCATION_BASED && storeEntries == 0) {
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
                name.ifPresent(n -> firstOrDuplicate(names, n, item.at("name"), "channel code name"));
                Optional<String> state = state(item, name, tracking, explicitState, knownType, stateOwners);

                if (name.isPresent() && type.isPresent() && pools.isPresent() && welcome.isPresent() && state.isPresent()) {
                    // channel_tracking falls back to the state so analytics always has a channel key
                    codes.add(new ChannelCodeSpec(name.get(), type.get(), values(pools.get()), welcome.get(),
                            values(autoTags), tracking.orElse(state.get()), state.get()));
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
                if (!knownPools.contains(pool.value())) {
                    log.add(pool.where(), Suggestions.unknown("staff pool", pool.value(), knownPools));
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
            for (Store store : stores) {
                String resolved = pool.value().replace("{" + Placeholders.CITY + "}", store.city());
                if (!knownPools.contains(resolved)) {
                    log.add(pool.where(), "staff pool '" + pool.value() + "' is '" + resolved + "' for store "
                            + store.storeId() + " (city " + store.city() + "), but no staff member is in that pool"
                            + " (known: " + String.join(", ", knownPools) + ")");
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
                for (Store store : stores) {
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
            int longestStoreId = stores.stream().mapToInt(s -> s.storeId().length()).max().orElse(0);
            return Math.max(1, ChannelCodeSpec.MAX_STATE_LENGTH - 1 - longestStoreId);
        }

        private Optional<TagSystem> tagSystem(YamlMap section) {
            Optional<YamlMap> tagSystem = section.map("tag_system", true);
            if (tagSystem.isEmpty()) {
                return Optional.empty();
            }
            tagSystem.get().allowOnly(TAG_SYSTEM_KEYS);
            List<YamlMap> items = tagSystem.get().maps("dimensions", true).orElse(null);
            if (items == null) {
                return Optional.empty();
            }
            tagSystemRead = true;
            if (items.isEmpty()) {
                log.add(tagSystem.get().at("dimensions"), "at least one tag dimension is needed");
            }
            List<TagSystem.TagDimension> dimensions = new ArrayList<>();
            Map<String, Where> dimensionNames = new HashMap<>();
            Map<String, String> tagOwners = new HashMap<>();
            for (YamlMap item : items) {
                item.allowOnly(DIMENSION_KEYS);
                Optional<String> name = item.string("name", true);
                Optional<List<YamlMap.Item>> tags = item.strings("tags", true);
                name.ifPresent(n -> firstOrDuplicate(dimensionNames, n, item.at("name"), "dimension name"));
                tags.ifPresent(ts -> {
                    if (ts.isEmpty()) {
                        log.add(item.at("tags"), "a dimension needs at least one tag");
                    }
                    for (YamlMap.Item tag : ts) {
                        declaredTags.add(tag.value());
                        String owner = name.map(n -> "dimension '" + n + "'").orElse(item.where().path())
                                + " (line " + tag.where().line() + ")";
                        String first = tagOwners.putIfAbsent(tag.value(), owner);
                        if (first != null) {
                            // profiles keep tags by name, so one name in two dimensions would be ambiguous
                            log.add(tag.where(), "tag '" + tag.value() + "' is already in " + first
                                    + "; a tag belongs to one dimension");
                        }
                    }
                });
                if (name.isPresent() && tags.isPresent()) {
                    dimensions.add(new TagSystem.TagDimension(name.get(), values(tags.get())));
                }
            }
            return Optional.of(new TagSystem(dimensions));
        }

        private List<AutoTaggingRule> autoTaggingRules(YamlMap section) {
            List<AutoTaggingRule> rules = new ArrayList<>();
            for (YamlMap item : section.maps("auto_tagging_rules", false).orElse(List.of())) {
                item.allowOnly(RULE_KEYS);
                Optional<String> trigger = item.string("trigger", true);
                Optional<String> when = conditions.read(item, "when", false);
                Optional<List<YamlMap.Item>> add = item.strings("add_tags", false);
                Optional<List<YamlMap.Item>> remove = item.strings("remove_tags", false);
                List<YamlMap.Item> added = add.orElse(List.of());
                List<YamlMap.Item> removed = remove.orElse(List.of());
                // a list with a wrong value was reported already; "changes nothing" would only repeat it
                boolean listsReadable = add.isPresent() == item.has("add_tags")
                        && remove.isPresent() == item.has("remove_tags");
                if (listsReadable && added.isEmpty() && removed.isEmpty()) {
                    log.add(item.where(), "a rule must add or remove at least one tag");
                }
                Stream.concat(added.stream(), removed.stream()).forEach(this::checkDeclaredTag);
                Set<String> addedNames = new HashSet<>(values(added));
                removed.stream().filter(r -> addedNames.contains(r.value())).forEach(r -> log.add(r.where(),
                        "tag '" + r.value() + "' is both added and removed by this rule"));
                if (trigger.isPresent()) {
                    rules.add(new AutoTaggingRule(trigger.get(), when.orElse(null), values(added), values(removed)));
                }
            }
            return rules;
        }

        private void checkDeclaredTag(YamlMap.Item tag) {
            if (!tagSystemRead || declaredTags.contains(tag.value())) {
                return;
            }
            log.add(tag.where(), Declared.unknownTag(tag.value(), declaredTags));
        }

        private List<GroupType> groupTypes(YamlMap section) {
            List<GroupType> groups = new ArrayList<>();
            Optional<YamlMap> groupConfig = section.map("group_config", false);
            if (groupConfig.isEmpty()) {
                return groups;
            }
            groupConfig.get().allowOnly(GROUP_CONFIG_KEYS);
            Map<String, Where> names = new HashMap<>();
            for (YamlMap item : groupConfig.get().maps("types", true).orElse(List.of())) {
                item.allowOnly(GROUP_TYPE_KEYS);
                Optional<String> name = item.string("name", true);
                Optional<Integer> maxMembers = item.integer("max_members", true).filter(m -> {
                    if (m >= 1 && m <= MAX_GROUP_MEMBERS) {
                        return true;
                    }
                    log.add(item.at("max_members"), "max_members " + m + " is outside 1.." + MAX_GROUP_MEMBERS
                            + " (a WeCom customer group holds at most " + MAX_GROUP_MEMBERS + ")");
                    return false;
                });
                Optional<String> condition = conditions.read(item, "entry_condition", false);
                Optional<String> autoWelcome = item.string("auto_welcome", true);
                Optional<String> sopTemplate = item.string("sop_template", true);
                name.ifPresent(n -> firstOrDuplicate(names, n, item.at("name"), "group type name"));
                name.ifPresent(n -> groupTemplates.putIfAbsent(n,
                        sopTemplate.map(t -> new YamlMap.Item(t, item.at("sop_template")))));
                if (name.isPresent() && maxMembers.isPresent() && autoWelcome.isPresent() && sopTemplate.isPresent()) {
                    groups.add(new GroupType(name.get(), maxMembers.get(), condition.orElse(""), autoWelcome.get(),
                            sopTemplate.get()));
                }
            }
            return groups;
        }

        private void firstOrDuplicate(Map<String, Where> seen, String value, Where where, String what) {
            Where first = seen.putIfAbsent(value, where);
            if (first != null) {
                log.add(where, "duplicate " + what + " '" + value + "' (first at line " + first.line() + ")");
            }
        }

        private static List<String> values(List<YamlMap.Item> items) {
            return items.stream().map(YamlMap.Item::value).toList();
        }
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
