package dev.siyu.core.config;

import dev.siyu.core.gate.ContentClass;
import java.time.DayOfWeek;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The group content calendars of {@code sop_calendar}: per template (a group type's sop_template),
 * the daily slots and the weekly special events. Each slot becomes a group message draft for the
 * group owner to confirm (the group-sop job).
 */
public record SopCalendar(Map<String, Template> templates) {
    public static final SopCalendar EMPTY = new SopCalendar(Map.of());

    public SopCalendar {
        templates = Map.copyOf(templates);
    }

    /**
     * @param content value or promotional: the group's 70/30 mix counts it
     * @param miniProgram the slot carries a Mini Program card (product spotlight, flash sale)
     */
    public record Slot(LocalTime at, String segment, String text, ContentClass content, boolean miniProgram) {
        public Slot {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(segment, "segment");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(content, "content");
        }
    }

    /** A weekly event, posted at {@code at} on its day; {@code groupTypes} empty means every group of the template. */
    public record WeeklyEvent(DayOfWeek day, LocalTime at, String event, String text, ContentClass content,
                              List<String> groupTypes) {
        public WeeklyEvent {
            Objects.requireNonNull(day, "day");
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(event, "event");
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(content, "content");
            groupTypes = List.copyOf(groupTypes);
        }
    }

    /**
     * @param miniProgramPage    the Mini Program page the slots' cards open; null when no slot carries a card
     * @param miniProgramPicture the cards' cover picture file; null: the placeholder cover
     */
    public record Template(String name, List<Slot> daily, List<WeeklyEvent> weekly, String miniProgramPage,
                           String miniProgramPicture) {
        public Template {
            daily = List.copyOf(daily);
            weekly = List.copyOf(weekly);
        }

        public Template(String name, List<Slot> daily, List<WeeklyEvent> weekly, String miniProgramPage) {
            this(name, daily, weekly, miniProgramPage, null);
        }

        /** A template whose slots carry no Mini Program card. */
        public Template(String name, List<Slot> daily, List<WeeklyEvent> weekly) {
            this(name, daily, weekly, null);
        }
    }
}
