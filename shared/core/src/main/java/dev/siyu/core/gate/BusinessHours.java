package dev.siyu.core.gate;

import java.time.Duration;
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

    /**
     * Like {@link #openAtOrAfter(Instant, ZoneId)}, but a touch moved to an opening lands at an offset into
     * the first {@code spread} of the window, fixed by {@code key} (the same customer and touch always get
     * the same offset, so a retried decision does not wander). A night's deferrals then reach the timer
     * sweep over many minute buckets instead of all at 09:00:00, where they would meet WeCom's rate limit
     * at once. A touch asked while the window is open is not moved. The spread is cut to the window's
     * length, so the offset never leaves business hours.
     */
    public Instant openAtOrAfter(Instant at, ZoneId zone, String key, Duration spread) {
        Instant opening = openAtOrAfter(at, zone);
        if (opening.equals(at) || spread.isZero() || spread.isNegative()) {
            return opening;
        }
        long seconds = Math.min(spread.toSeconds(), length().toSeconds() - 1);
        if (seconds <= 0) {
            return opening;
        }
        Instant spreadOut = opening.plusSeconds(Math.floorMod(stableHash(key), seconds));
        // a DST change inside the window can shorten it; the opening itself is always open
        return isOpen(spreadOut, zone) ? spreadOut : opening;
    }

    /** How long the window stays open, over midnight included. */
    public Duration length() {
        Duration d = Duration.between(start, end);
        return d.isNegative() ? d.plusDays(1) : d;
    }

    /** FNV-1a: keys that differ only in their last characters still land far apart. */
    private static long stableHash(String key) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < key.length(); i++) {
            h ^= key.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }

    @Override
    public String toString() {
        return start + "-" + end;
    }
}
