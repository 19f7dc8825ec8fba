package dev.siyu.core.config;

import dev.siyu.core.gate.ContentClass;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code sop_calendar}: per template, the daily slots and weekly events of a group's content calendar. */
final class SopCalendarReader {
    static final List<String> TEMPLATE_KEYS = List.of("daily", "weekly", "mini_program_page", "mini_program_picture");
    static final List<String> SLOT_KEYS = List.of("at", "segment", "text", "content", "mini_program");
    static final List<String> WEEKLY_KEYS = List.of("day", "at", "event", "text", "content", "group_types");
    static final List<String> DAYS = Arrays.stream(DayOfWeek.values())
            .map(d -> d.name().charAt(0) + d.name().substring(1).toLowerCase(Locale.ROOT)).toList();
    private static final Pattern TIME = Pattern.compile("([01]\\d|2[0-3]):[0-5]\\d");

    private final ProblemLog log;
    private final Declared declared;

    SopCalendarReader(ProblemLog log, Declared declared) {
        this.log = log;
        this.declared = declared;
    }

    SopCalendar read(YamlMap section) {
        Map<String, SopCalendar.Template> templates = new LinkedHashMap<>();
        for (String name : section.keys()) {
            section.map(name, true).ifPresent(t -> templates.put(name, template(name, t)));
        }
        return new SopCalendar(templates);
    }

    private SopCalendar.Template template(String name, YamlMap t) {
        t.allowOnly(TEMPLATE_KEYS);
        List<SopCalendar.Slot> daily = new ArrayList<>();
        List<SopCalendar.WeeklyEvent> weekly = new ArrayList<>();
        List<YamlMap> slots = t.maps("daily", false).orElse(List.of());
        List<YamlMap> events = t.maps("weekly", false).orElse(List.of());
        if (!t.has("daily") && !t.has("weekly")) {
            log.add(t.where(), "an SOP template needs daily: slots or weekly: events");
        }
        for (YamlMap slot : slots) {
            slot(slot).ifPresent(daily::add);
        }
        checkDistinctTimes(slots, daily);
        for (YamlMap event : events) {
            weekly(name, event).ifPresent(weekly::add);
        }
        boolean cards = daily.stream().anyMatch(SopCalendar.Slot::miniProgram);
        // The cards need a page to open; which one is the brand's, so a template with cards must name it.
        Optional<String> page = t.string("mini_program_page", cards);
        Optional<String> picture = t.string("mini_program_picture", false)
                .filter(p -> declared.checkPicture(new YamlMap.Item(p, t.at("mini_program_picture")), log));
        return new SopCalendar.Template(name, daily, weekly, page.orElse(null), picture.orElse(null));
    }

    private Optional<SopCalendar.Slot> slot(YamlMap s) {
        s.allowOnly(SLOT_KEYS);
        Optional<LocalTime> at = time(s);
        Optional<String> segment = s.string("segment", true);
        Optional<String> text = s.string("text", true);
        Optional<ContentClass> content = content(s);
        Optional<Boolean> miniProgram = s.has("mini_program") ? s.bool("mini_program") : Optional.of(false);
        if (at.isEmpty() || segment.isEmpty() || text.isEmpty() || content.isEmpty() || miniProgram.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new SopCalendar.Slot(at.get(), segment.get(), text.get(), content.get(), miniProgram.get()));
    }

    /** Two slots at one minute would post back to back, which reads as spam in a group. */
    private void checkDistinctTimes(List<YamlMap> items, List<SopCalendar.Slot> slots) {
        if (items.size() != slots.size()) {
            return;
        }
        Map<LocalTime, Where> seen = new LinkedHashMap<>();
        for (int i = 0; i < slots.size(); i++) {
            Where first = seen.putIfAbsent(slots.get(i).at(), items.get(i).at("at"));
            if (first != null) {
                log.add(items.get(i).at("at"), "another daily slot is at " + slots.get(i).at() + " (line "
                        + first.line() + "); one slot per time");
            }
        }
    }

    private Optional<SopCalendar.WeeklyEvent> weekly(String template, YamlMap e) {
        e.allowOnly(WEEKLY_KEYS);
        Optional<DayOfWeek> day = e.string("day", true).flatMap(d -> {
            for (DayOfWeek candidate : DayOfWeek.values()) {
                if (candidate.name().equalsIgnoreCase(d.trim())) {
                    return Optional.of(candidate);
                }
            }
            log.add(e.at("day"), Suggestions.unknown("day", d, DAYS));
            return Optional.empty();
        });
        Optional<LocalTime> at = time(e);
        Optional<String> event = e.string("event", true);
        Optional<String> text = e.string("text", true);
        Optional<ContentClass> content = content(e);
        Optional<List<YamlMap.Item>> groupTypes = e.strings("group_types", false);
        groupTypes.ifPresent(types -> types.forEach(type -> checkGroupOfTemplate(template, type)));
        if (day.isEmpty() || at.isEmpty() || event.isEmpty() || text.isEmpty() || content.isEmpty()
                || (e.has("group_types") && groupTypes.isEmpty())) {
            return Optional.empty();
        }
        List<String> types = groupTypes.orElse(List.of()).stream().map(YamlMap.Item::value).toList();
        return Optional.of(new SopCalendar.WeeklyEvent(day.get(), at.get(), event.get(), text.get(), content.get(),
                types));
    }

    /** An event narrowed to group types is posted only in those groups of this template; others never see it. */
    private void checkGroupOfTemplate(String template, YamlMap.Item type) {
        if (!declared.checkGroupType(type, log)) {
            return;
        }
        Optional<YamlMap.Item> usesTemplate = declared.groupTemplates().get(type.value());
        if (usesTemplate.isPresent() && !usesTemplate.get().value().equals(template)) {
            log.add(type.where(), "group type '" + type.value() + "' uses sop_template '" + usesTemplate.get().value()
                    + "', so this " + template + " event would never be posted there; move the event to "
                    + usesTemplate.get().value());
        }
    }

    private Optional<LocalTime> time(YamlMap map) {
        return map.string("at", true).flatMap(text -> {
            if (TIME.matcher(text.trim()).matches()) {
                return Optional.of(LocalTime.parse(text.trim()));
            }
            log.add(map.at("at"), "at '" + text + "' must be a 24-hour time HH:mm, such as \"08:30\"");
            return Optional.empty();
        });
    }

    private Optional<ContentClass> content(YamlMap map) {
        return map.choice("content", true, "content class", ActionReader.CONTENT)
                .map(c -> ContentClass.valueOf(c.toUpperCase(Locale.ROOT)));
    }
}
