package dev.siyu.core.gate;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The local window in which proactive touches may go out, [start, end). A window with start after end
 * runs over midnight (e.g. 20:00-02:00 for a night-market brand).
 */
public record BusinessHours(LocalTime start, LocalTime end) {
    public static final BusinessHours DEFAULT = new BusinessHours(LocalTime.of(9, 0), LocalTime.of(21, 0));

    private static final Pattern TEXT = Pattern.compile("(\\d{2}:\\d{2})\\s*-\\s*(\\d{2}:\\d{2})");

    public BusinessHours {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (start.equals(end)) {
            throw new IllegalArgumentException("business hours " + start + "-" + end + " are empty");
        }
    }

    /** "09:00-21:00"; empty when the text is not two HH:mm times or names an empty window. */
    public static Optional<BusinessHours> parse(String text) {
        Matcher m = TEXT.matcher(text.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            LocalTime start = LocalTime.parse(m.group(1));
            LocalTime end = LocalTime.parse(m.group(2));
            return start.equals(end) ? Optional.empty() : Optional.of(new BusinessHours(start, end));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    public boolean isOpen(LocalTime time) {
        return start.isBefore(end)
                ? !time.isBefore(start) && time.isBefore(end)
                : !time.isBefore(start) || time.isBefore(end);
    }

    public boolean isOpen(Instant at, ZoneId zone) {
        return isOpen(at.atZone(zone).toLocalTime());
    }

    /**
     * at itself when the window is open then, else the next opening. Computed on local dates, not by
     * adding hours, so a DST change overnight still opens at the local start time.
     */
    public Instant openAtOrAfter(Instant at, ZoneId zone) {
        if (isOpen(at, zone)) {
            return at;
        }
        LocalDate day = at.atZone(zone).toLocalDate();
        Instant today = ZonedDateTime.of(day, start, zone).toInstant();
        return today.isAfter(at) ? today : ZonedDateTime.of(day.plusDays(1), start, zone).toInstant();
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
