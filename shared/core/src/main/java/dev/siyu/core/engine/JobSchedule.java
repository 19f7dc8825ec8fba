package dev.siyu.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * When a scheduled job runs: at a local time every day in the tenant's zone, or at a fixed rate.
 * The same value gives the deployed EventBridge Scheduler expression and the local runners' next run,
 * so the two cannot drift.
 */
public sealed interface JobSchedule permits JobSchedule.Daily, JobSchedule.Every {

    /** The first run strictly after {@code t}. */
    Instant nextAfter(Instant t, ZoneId zone);

    /** The EventBridge Scheduler expression, read in the schedule's own time zone. */
    String expression();

    static Daily daily(int hour, int minute) {
        return new Daily(LocalTime.of(hour, minute));
    }

    static Every every(Duration period) {
        return new Every(period);
    }

    /** Every day at this wall-clock time; a day whose DST gap skips it runs at the gap's end. */
    record Daily(LocalTime at) implements JobSchedule {
        public Daily {
            if (at.getSecond() != 0 || at.getNano() != 0) {
                throw new IllegalArgumentException("a daily job runs at a whole minute, not " + at);
            }
        }

        @Override
        public Instant nextAfter(Instant t, ZoneId zone) {
            LocalDate day = t.atZone(zone).toLocalDate();
            Instant candidate = ZonedDateTime.of(day, at, zone).toInstant();
            return candidate.isAfter(t) ? candidate : ZonedDateTime.of(day.plusDays(1), at, zone).toInstant();
        }

        @Override
        public String expression() {
            return "cron(" + at.getMinute() + " " + at.getHour() + " * * ? *)";
        }
    }

    /** At a fixed rate of whole minutes, on the multiples of the period since the epoch. */
    record Every(Duration period) implements JobSchedule {
        public Every {
            if (period.isNegative() || period.isZero() || period.toSeconds() % 60 != 0) {
                throw new IllegalArgumentException("a rate is a positive number of whole minutes, not " + period);
            }
        }

        @Override
        public Instant nextAfter(Instant t, ZoneId zone) {
            long p = period.toMillis();
            return Instant.ofEpochMilli(Math.floorDiv(t.toEpochMilli(), p) * p + p);
        }

        @Override
        public String expression() {
            long minutes = period.toMinutes();
            if (minutes % 60 == 0) {
                long hours = minutes / 60;
                return "rate(" + hours + (hours == 1 ? " hour)" : " hours)");
            }
            return "rate(" + minutes + (minutes == 1 ? " minute)" : " minutes)");
        }
    }
}
