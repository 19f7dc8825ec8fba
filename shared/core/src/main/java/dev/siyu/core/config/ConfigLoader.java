package dev.siyu.core.config;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.gate.Guardrails;
import dev.siyu.core.journey.Journey;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
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
            "community", "offboarding", "scripts", "membership", "miniapp");
    /** The keys guardrails allows (the section's reader owns the list). */
    static final List<String> GUARDRAILS_KEYS = GuardrailsReader.KEYS;
    static final List<String> SCRM_KEYS = List.of("channel_codes", "tag_system", "auto_tagging_rules", "group_config");

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
        Path dir = file.toAbsolutePath().getParent();
        return load(text, file.toString(), picture -> java.nio.file.Files.isRegularFile(dir.resolve(picture)));
    }

    /**
     * Parses and validates yamlText.
     *
     * @param sourceName how problems name the text, usually its file name
     * @throws ConfigException with every problem found, in file order
     */
    public ScrmConfig load(String yamlText, String sourceName) {
        return load(yamlText, sourceName, null);
    }

    /**
     * Parses and validates yamlText, whose picture files are under a directory.
     *
     * @param pictures whether a picture file (its path under the blueprint's directory) exists; null: not checked
     */
    public ScrmConfig load(String yamlText, String sourceName, java.util.function.Predicate<String> pictures) {
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
        if (root == null || YamlNodes.isNull(root)) {
            log.add(new Where("", 1, 1), "the config is empty; expected a mapping with "
                    + String.join(", ", TOP_KEYS));
            throw new ConfigException(log.inFileOrder());
        }
        if (!(root instanceof MappingNode)) {
            log.add(Where.of("", root), "the config must be a mapping with " + String.join(", ", TOP_KEYS)
                    + ", got " + YamlNodes.describe(root));
            throw new ConfigException(log.inFileOrder());
        }
        ScrmConfig config = read(root, log, new ConditionCheck(compiler, log), pictures);
        if (!log.isEmpty()) {
            throw new ConfigException(log.inFileOrder());
        }
        return config;
    }

    /**
     * Runs the section readers in order: journeys, calendars and community refer to what staff and
     * scrm_config declared, so they come after. The config, or null when a problem was logged (the
     * caller throws then).
     */
    private static ScrmConfig read(Node root, ProblemLog log, ConditionCheck conditions,
                                   java.util.function.Predicate<String> pictures) {
        YamlMap top = YamlMap.of(root, Where.of("", root), log).orElseThrow();
        top.allowOnly(Stream.of(TOP_KEYS, OPTIONAL_SECTIONS, OTHER_SECTIONS).flatMap(List::stream).toList());
        TenantReader tenantReader = new TenantReader(log);
        Optional<String> tenant = tenantReader.tenant(top);
        Optional<ZoneId> timezone = tenantReader.timezone(top);
        Roster roster = new StaffReader(log).read(top);

        List<ChannelCodeSpec> codes = List.of();
        Optional<TagSystem> tagSystem = Optional.empty();
        List<AutoTaggingRule> rules = List.of();
        List<GroupType> groups = List.of();
        TagReader tags = new TagReader(log, conditions);
        GroupTypeReader groupTypes = new GroupTypeReader(log, conditions,
                roster.staff().stream().map(StaffMember::userId).collect(java.util.stream.Collectors.toSet()));
        Optional<YamlMap> scrm = top.map("scrm_config", true);
        if (scrm.isPresent()) {
            YamlMap section = scrm.get();
            section.allowOnly(SCRM_KEYS);
            codes = new ChannelCodeReader(log, roster).read(section);
            tagSystem = tags.tagSystem(section);
            rules = tags.autoTaggingRules(section);
            groups = groupTypes.read(section);
        }
        Guardrails guardrails = top.map("guardrails", false).map(new GuardrailsReader(log)::read)
                .orElse(Guardrails.DEFAULTS);
        MiniappSettings miniapp = top.map("miniapp", false).map(new MiniappReader(log)::read).orElse(null);
        Declared declared = new Declared(tags.tagsKnown(), tags.declaredTags(), groupTypes.templates(),
                roster.pools(), pictures, miniapp == null ? java.util.Set.of()
                : miniapp.subscriptionTemplates().keySet());
        List<Journey> journeys = top.map("lifecycle_automation", false)
                .map(section -> new JourneyReader(log, conditions, declared).read(section)).orElse(List.of());
        Optional<SopCalendar> calendar = top.map("sop_calendar", false)
                .map(section -> new SopCalendarReader(log, declared).read(section));
        checkSopTemplates(log, groupTypes.templates(), calendar, top.has("sop_calendar"));
        CommunityReader communityReader = new CommunityReader(log, declared);
        Community community = top.map("community", false).map(communityReader::community).orElse(null);
        Community.Offboarding offboarding = top.map("offboarding", false).map(communityReader::offboarding)
                .orElse(null);
        ScriptLibrary scripts = top.maps("scripts", false).map(new ScriptReader(log)::read).orElse(null);
        Membership membership = top.map("membership", false).map(new MembershipReader(log)::read).orElse(null);
        ScoringSettings scoring = ScoringSettingsReader.of(top, log).orElse(null);
        if (!log.isEmpty()) {
            return null;
        }
        return new ScrmConfig(tenant.orElseThrow(), timezone.orElseThrow(), roster.staff(), roster.stores(), codes,
                tagSystem.orElseThrow(), rules, groups, guardrails, journeys, calendar.orElse(null), community,
                offboarding, scripts, membership, scoring, miniapp);
    }

    /** Every group type's sop_template must be a calendar, or the group would get no content at all. */
    private static void checkSopTemplates(ProblemLog log, Map<String, Optional<YamlMap.Item>> groupTemplates,
                                          Optional<SopCalendar> calendar, boolean sectionWritten) {
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
}
