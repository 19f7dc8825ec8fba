package dev.siyu.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every scheduled job of the suite: its name (the scheduler function's {@code {"job": ...}} input),
 * when it runs, and how the engine builds it. template.yaml's schedules, {@code ./siyu local}, the
 * simulator and {@code events/} are checked against this list in both directions, so adding a job is
 * one entry here (plus its class in dev.siyu.core.schedule, its schedule in template.yaml and its
 * sample event, which the checks ask for).
 */
public final class JobCatalog {
    /**
     * One job.
     *
     * @param does a line for operators: what the job does
     */
    public record Job(String name, JobSchedule schedule, String does, Function<Engine, ScheduledJob> factory) { }

    public static final String SWEEP_TIMERS = "sweep-timers";
    public static final String DAILY_RULES = "daily-rules";
    public static final String SCORE_CUSTOMERS = "score-customers";
    public static final String GROUP_SOP = "group-sop";
    public static final String COMMUNITY = "community";
    public static final String FREELOADERS = "freeloaders";
    public static final String OFFBOARDING = "offboarding";
    public static final String RECONCILE = "reconcile";
    public static final String STAFF_DIRECTORY = "staff-directory";
    public static final String POINTS_EXPIRY = "points-expiry";
    public static final String MASS_SEND = "mass_send";
    public static final String TRANSFER_CUSTOMERS = "transfer_customers";

    /**
     * An operator action: a job with no schedule, run when an operator invokes the scheduler with its
     * input ({@code {"job": ..., "input": {...}}}, {@code ./siyu mass-send}, {@code ./siyu transfer}). Its
     * events/ sample is the input an operator would send.
     */
    public record Action(String name, String does) { }

    private static final List<Action> ACTIONS = List.of(
            new Action(MASS_SEND, "sends a campaign to the customers of a segment (tags, stages) through the gate"),
            new Action(TRANSFER_CUSTOMERS, "hands named customers of a staff member on the job to a colleague"));

    /**
     * Daily jobs run at night, when no touch goes out (quiet hours defer touches anyway), except
     * community care: its VIP invites are touches, and at night every one was deferred and never asked
     * again, so it runs in business hours. The group SOP runs every 15 minutes: its calendar slots are
     * blueprint data that changes after deployment, and a run finds the slots due since its lookback.
     */
    private static final List<Job> JOBS = List.of(
            new Job(SWEEP_TIMERS, JobSchedule.every(Duration.ofMinutes(1)),
                    "moves journey steps due this minute from their timer buckets to the journey queue",
                    e -> e.sweep()::sweep),
            // Before the daily rules, so the lifecycle stage reads the night's churn scores. Runs on the scoring
            // function, the only one carrying the models.
            new Job(SCORE_CUSTOMERS, JobSchedule.daily(1, 0),
                    "trains the churn model when due, scores every customer (churn, LTV, persona, propensities)"
                            + " and starts the churn warning above its threshold",
                    e -> () -> e.nightlyScoring().run(e.clock().instant())),
            new Job(DAILY_RULES, JobSchedule.daily(2, 0),
                    "auto-tags, lifecycle stages, churn risk and dormancy; starts condition and score journeys",
                    e -> () -> e.dailyRules().run(e.clock().instant())),
            new Job(GROUP_SOP, JobSchedule.every(Duration.ofMinutes(15)),
                    "drafts each group's calendar posts (daily slots, weekly events) for its owner to confirm",
                    // One GroupSop per engine: it remembers the day's slot claims it saw taken across runs.
                    e -> {
                        var sop = e.groupSop();
                        return () -> sop.run(e.clock().instant());
                    }),
            new Job(COMMUNITY, JobSchedule.daily(10, 30),
                    "prunes silent members and invites customers who qualify for the VIP group",
                    e -> () -> e.communityCare().run(e.clock().instant())),
            new Job(FREELOADERS, JobSchedule.daily(4, 0),
                    "flags perk freeloaders and pauses their perks",
                    e -> () -> e.freeloaderScan().run(e.clock().instant())),
            new Job(OFFBOARDING, JobSchedule.every(Duration.ofHours(1)),
                    "hands departed staff members' customers to successors and polls the transfers",
                    e -> () -> e.offboarding().run(e.clock().instant())),
            new Job(RECONCILE, JobSchedule.every(Duration.ofHours(1)),
                    "makes again what failed on WeCom's side: contact details and unionid merges, tags, pool counts;"
                            + " expires staff desk tasks past their time",
                    // The desk's expiry after the repairs, so a failed expiry (retried next hour) holds none of them up.
                    e -> () -> {
                        var repaired = e.reconciler().run(e.clock().instant());
                        e.staffDesk().expire(e.config().tenant(), e.clock().instant());
                        return repaired;
                    }),
            new Job(STAFF_DIRECTORY, JobSchedule.daily(3, 0),
                    "checks the blueprint's staff against WeCom's directory; marks members who left for offboarding",
                    e -> () -> e.staffDirectorySync().run(e.clock().instant())),
            // Sends nothing to WeCom (a Mini Program notification only), so any hour will do; after midnight the
            // day that just ended is due.
            new Job(POINTS_EXPIRY, JobSchedule.daily(0, 30),
                    "expires members' points past their time (points_expire_after) and tells them in the Mini Program",
                    Engine::pointsExpiry));

    private JobCatalog() {
    }

    public static List<Job> jobs() {
        return JOBS;
    }

    public static List<String> names() {
        return JOBS.stream().map(Job::name).toList();
    }

    public static List<Action> actions() {
        return ACTIONS;
    }

    public static Optional<Action> action(String name) {
        return name == null ? Optional.empty() : ACTIONS.stream().filter(a -> a.name().equals(name.trim())).findFirst();
    }

    public static Optional<Job> named(String name) {
        return name == null ? Optional.empty() : JOBS.stream().filter(j -> j.name().equals(name.trim())).findFirst();
    }
}
