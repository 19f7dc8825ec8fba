package dev.siyu.core.gate;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.temporal.TemporalAdjusters;

/**
 * The periods frequency caps count in. Weeks are ISO weeks (Monday first), as in China and Europe.
 * The CAP# counters are keyed with {@link #key} so the gate and the counters agree on where a period ends.
 */
public enum CapPeriod {
    DAY,
    WEEK,
    MONTH;

    public LocalDate firstDay(LocalDate date) {
        switch (this) {
            case DAY:
                return date;
            case WEEK:
                return date.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            default:
                return date.withDayOfMonth(1);
        }
    }

    /** Local midnight starting the period after the one holding at. */
    public Instant nextStart(Instant at, ZoneId zone) {
        LocalDate first = firstDay(at.atZone(zone).toLocalDate());
        LocalDate next;
        switch (this) {
            case DAY:
                next = first.plusDays(1);
                break;
            case WEEK:
                next = first.plusWeeks(1);
                break;
            default:
                next = first.plusMonths(1);
                break;
        }
        // atStartOfDay, not LocalTime.MIDNIGHT: a zone may skip midnight on a DST day
        return next.atStartOfDay(zone).toInstant();
    }

    /** "2024-03-05", "2024-W10" (week-based year, so 2024-12-30 is "2025-W01") or "2024-03". */
    public String key(Instant at, ZoneId zone) {
        LocalDate date = at.atZone(zone).toLocalDate();
        switch (this) {
            case DAY:
                return date.toString();
            case WEEK:
                return String.format("%d-W%02d", date.get(IsoFields.WEEK_BASED_YEAR),
                        date.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR));
            default:
                return YearMonth.from(date).toString();
        }
    }
}
