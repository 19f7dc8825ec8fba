package dev.siyu.core.journey;

import dev.siyu.core.condition.Condition;
import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.Facts;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyQueue.JourneyTrigger;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.StepScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Starts journey runs when their trigger fires, counts goal conversions, and schedules each new
 * run's first step. Run ids are derived from the trigger, so a trigger delivered twice starts one run.
 */
public final class JourneyStarter implements ConditionTriggers {
    /** A purchase that is the customer's first also fires first_purchase. */
    public static final String PURCHASE = "purchase";
    public static final String FIRST_PURCHASE = "first_purchase";
    private static final int START_ATTEMPTS = 3;
    /** A first step's hand-off (an SQS send or a timer put) is tried this often before the start fails. */
    private static final int SCHEDULE_ATTEMPTS = 3;
    /** A trigger detail: the customer a merge absorbed, whose relationship the trigger's add is. */
    public static final String MERGED_FROM = "merged_from";

    private final JourneyCatalog catalog;
    private final JourneyRunStore runs;
    private final CustomerStore customers;
    private final ConditionCompiler conditions;
    private final StepScheduler scheduler;
    private final Ids ids;
    private final CustomerSnapshots snapshots;
    private final java.time.Clock clock;

    /**
     * @param snapshots reads a trigger's customer and runs together (one Query on DynamoDB)
     * @param clock     when a run is written (a redelivered trigger compares it with now, see firstStepAgain)
     */
    public JourneyStarter(JourneyCatalog catalog, JourneyRunStore runs, CustomerStore customers,
                          CustomerSnapshots snapshots, ConditionCompiler conditions, StepScheduler scheduler, Ids ids,
                          java.time.Clock clock) {
        this.snapshots = snapshots;
        this.catalog = catalog;
        this.runs = runs;
        this.customers = customers;
        this.conditions = conditions;
        this.scheduler = scheduler;
        this.ids = ids;
        this.clock = clock;
    }

    /** Handles one event trigger from the callback or the Mini Program: goals first, then new runs. */
    public List<JourneyRun> onEvent(JourneyTrigger trigger) {
        CustomerSnapshots.Snapshot state = snapshots.snapshot(trigger.tenant(), trigger.customerId());
        Optional<CustomerProfile> profile = state.profile();
        // A profile merged into another starts nothing: the survivor's own triggers start the person's journeys.
        if (profile.isEmpty() || profile.get().mergedInto().isPresent()) {
            return List.of();
        }
        if (startedOnAbsorbed(trigger)) {
            return List.of();
        }
        List<String> kinds = new ArrayList<>(List.of(trigger.kind()));
        if (PURCHASE.equals(trigger.kind()) && profile.get().activity().orderCount() == 1) {
            kinds.add(FIRST_PURCHASE);
        }
        List<JourneyRun> existing = state.runs();
        for (String kind : kinds) {
            countGoals(profile.get(), existing, kind, trigger.at());
        }
        Map<String, Object> customer = Facts.customer(profile.get(), trigger.at());
        List<JourneyRun> started = new ArrayList<>();
        long version = catalog.currentVersion();
        for (Journey j : catalog.journeys(version)) {
            for (String kind : kinds) {
                if (!j.trigger().firesOn(kind) || !filterHolds(j, customer, trigger)) {
                    continue;
                }
                Instant anchor = anchor(j, profile.get(), trigger.at());
                Duration cycle = j.cycleFor(trigger.details().get("category")).orElse(null);
                String runId = kind + "-" + trigger.at().toEpochMilli();
                start(j, profile.get(), existing, runId, version, anchor, cycle, trigger.at(), trigger.details(), false)
                        .ifPresent(started::add);
            }
        }
        return started;
    }

    /**
     * A merge hands the survivor the trigger of each relationship it gained (ProfileMerge), naming the absorbed
     * customer: when that add's runs started there before the merge, its journeys happened (their runs exit at the
     * next step), and starting them again on the survivor would send their first steps to the person twice.
     */
    private boolean startedOnAbsorbed(JourneyTrigger trigger) {
        String absorbed = trigger.details().get(MERGED_FROM);
        if (absorbed == null || absorbed.isEmpty()) {
            return false;
        }
        String runId = trigger.kind() + "-" + trigger.at().toEpochMilli();
        return runs.runs(trigger.tenant(), absorbed).stream().anyMatch(r -> r.runId().equals(runId));
    }

    @Override
    public List<JourneyRun> check(CustomerProfile profile, Instant now) {
        return check(profile, now, null);
    }

    @Override
    public List<JourneyRun> check(CustomerProfile profile, Instant now, List<JourneyRun> known) {
        List<JourneyRun> existing = known;
        List<JourneyRun> started = new ArrayList<>();
        Map<String, Object> customer = Facts.customer(profile, now);
        long version = catalog.currentVersion();
        for (Journey j : catalog.journeys(version)) {
            if (j.trigger().kind() == Trigger.Kind.EVENT) {
                continue;
            }
            if (existing == null) {
                existing = runs.runs(profile.tenant(), profile.customerId());
            }
            // One run per episode: while the customer does nothing new (same latest activity) the same
            // dormancy or churn risk never starts the journey twice; any new activity opens a new episode.
            String runId = "cond-" + lastActivity(profile, now).toEpochMilli();
            Condition when = conditions.compile(j.trigger().condition());
            boolean holds = when.holds(Facts.vars(customer, Map.of(), Map.of(), now));
            // An active run whose step 0 was never handed off (its starter died) is repaired whatever the
            // condition says now: left alone, it would refuse every later episode of this journey for good.
            for (JourneyRun r : existing) {
                if (r.journey().equals(j.name()) && r.active() && r.step() == 0
                        && !(holds && r.runId().equals(runId))) {
                    catalog.journey(r.journey(), r.version())
                            .ifPresent(rj -> firstStepAgain(r, rj, now, Map.of(), true));
                }
            }
            if (!holds) {
                continue;
            }
            Instant anchor = anchor(j, profile, now);
            // Checked again every day: a first step still waiting for its time is not scheduled again each time.
            start(j, profile, existing, runId, version, anchor, null, now, Map.of(), true).ifPresent(started::add);
        }
        return started;
    }

    /**
     * Starts the run unless this trigger already did (then its first step is scheduled again, in case the
     * delivery that started it died before scheduling it) or, for a journey that does not restart, one is
     * active. The start is atomic with the journey's per-customer marker ({@link JourneyRunStore#start(JourneyRun,
     * int, List)}): of two triggers handled at once one starts and the other re-reads and finds it; a restart
     * journey supersedes its active runs in the same write.
     */
    private Optional<JourneyRun> start(Journey j, CustomerProfile p, List<JourneyRun> existing, String runId,
                                       long version, Instant anchor, Duration cycle, Instant now,
                                       Map<String, String> triggerDetails, boolean onlyOnceDue) {
        List<JourneyRun> seen = existing;
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            List<JourneyRun> mine = seen.stream().filter(r -> r.journey().equals(j.name())).toList();
            Optional<JourneyRun> same = mine.stream().filter(r -> r.runId().equals(runId)).findFirst();
            if (same.isPresent()) {
                firstStepAgain(same.get(), j, now, triggerDetails, onlyOnceDue);
                return Optional.empty();
            }
            List<JourneyRun> active = mine.stream().filter(JourneyRun::active).toList();
            if (!active.isEmpty() && !j.restart()) {
                return Optional.empty();
            }
            if (!onlyOnceDue && active.stream().anyMatch(r -> r.leasedToOther(null, clock.instant()))) {
                // A restart cannot supersede a run while a delivery holds its step: the queue brings this event
                // trigger back once the lease is given back or lapses, rather than dropping it (a daily condition
                // check just tries again the next day).
                throw new StepBusy("journey " + j.name() + " of customer " + p.customerId()
                        + " has a step in progress; the restart waits");
            }
            JourneyRun run = JourneyRun.start(p.tenant(), p.customerId(), j.name(), runId, version, anchor, cycle, now)
                    .steppedTo(0, clock.instant());
            if (startRun(run, mine.size(), active)) {
                // The hand-off first, tried again at once if it fails: a run written with nothing scheduled waits for
                // a redelivered trigger, or for the next daily check when a condition started it.
                Instant due = j.steps().get(0).dueAt(anchor, cycle);
                scheduleFirst(StepDue.of(run, 0, due.isBefore(now) ? now : due, triggerDetails));
                List<TimelineEvent> events = new ArrayList<>();
                for (JourneyRun r : active) {
                    events.add(new TimelineEvent(ids.next("ev", now), now, "journey_exited", null, Map.of(
                            "journey", r.journey(), "run", r.runId(), "reason", "superseded", "superseded_by", runId)));
                }
                events.add(new TimelineEvent(ids.next("ev", now), now, "journey_started", null,
                        Map.of("journey", j.name(), "run", runId, "version", Long.toString(version))));
                customers.append(p.tenant(), p.customerId(), events);
                return Optional.of(run);
            }
            // Another trigger of this customer started (or superseded) a run of this journey meanwhile.
            seen = runs.runs(p.tenant(), p.customerId());
        }
        return Optional.empty();
    }

    /**
     * The start's transaction; when its answer is lost (an error after the write, a time-out) the run is looked for:
     * written by this start (same run, same write time), it is handed off now rather than waiting for a redelivered
     * trigger or the next day's check.
     */
    private boolean startRun(JourneyRun run, int seen, List<JourneyRun> superseding) {
        try {
            return runs.start(run, seen, superseding);
        } catch (RuntimeException e) {
            boolean mine = runs.runs(run.tenant(), run.customerId()).stream()
                    .anyMatch(r -> r.journey().equals(run.journey()) && r.runId().equals(run.runId())
                            && java.util.Objects.equals(r.steppedAt(), run.steppedAt()) && r.active() && r.step() == 0);
            if (!mine) {
                throw e;
            }
            return true;
        }
    }

    private void scheduleFirst(dev.siyu.core.timer.DueStep first) {
        for (int attempt = 1; ; attempt++) {
            try {
                scheduler.schedule(first);
                return;
            } catch (RuntimeException e) {
                if (attempt == SCHEDULE_ATTEMPTS) {
                    throw e;
                }
            }
        }
    }

    /**
     * The trigger came again and its run waits at step 0 with nobody on it, written longer ago than a live
     * writer takes to schedule the step: the delivery that started it may have died before scheduling it, so it is
     * scheduled again (a second delivery of it is harmless). A duplicate delivered right away changes nothing.
     */
    private void firstStepAgain(JourneyRun run, Journey j, Instant now, Map<String, String> triggerDetails,
                                boolean onlyOnceDue) {
        Instant written = run.steppedAt() == null ? run.startedAt() : run.steppedAt();
        Instant at = clock.instant();
        if (!run.active() || run.step() != 0 || run.leaseOwner() != null
                || written.plus(StepRunner.HAND_OFF).isAfter(at)) {
            return;
        }
        Instant due = j.steps().get(0).dueAt(run.anchor(), run.cycle());
        if (onlyOnceDue && due.plus(StepRunner.HAND_OFF).isAfter(at)) {
            return;
        }
        scheduler.schedule(StepDue.of(run, 0, due.isBefore(now) ? now : due, triggerDetails));
    }

    private void countGoals(CustomerProfile p, List<JourneyRun> existing, String kind, Instant at) {
        for (JourneyRun r : existing) {
            if (r.goalReachedAt() != null || r.startedAt().isAfter(at)) {
                continue;
            }
            Optional<Journey> j = catalog.journey(r.journey(), r.version());
            if (j.isEmpty() || j.get().goal() == null || !j.get().goal().event().equals(kind)
                    || at.isAfter(r.startedAt().plus(j.get().goal().within()))) {
                continue;
            }
            if (runs.goalReached(r.tenant(), r.customerId(), r.journey(), r.runId(), at)) {
                customers.append(p.tenant(), p.customerId(), List.of(new TimelineEvent(ids.next("ev", at), at,
                        "journey_goal_reached", null, Map.of("journey", r.journey(), "run", r.runId(), "goal", kind))));
            }
        }
    }

    private boolean filterHolds(Journey j, Map<String, Object> customer, JourneyTrigger trigger) {
        String filter = j.trigger().condition();
        if (filter == null || filter.isBlank()) {
            return true;
        }
        return conditions.compile(filter).holds(Facts.vars(customer, Map.of(), trigger.details(), trigger.at()));
    }

    static Instant anchor(Journey j, CustomerProfile p, Instant now) {
        if (!Journey.ANCHOR_LAST_ACTIVITY.equals(j.anchor())) {
            return now;
        }
        return lastActivity(p, now);
    }

    /** The customer's latest interaction, purchase or add. */
    static Instant lastActivity(CustomerProfile p, Instant now) {
        Instant latest = p.createdAt() == null ? now : p.createdAt();
        Instant interaction = p.activity().lastInteractionAt();
        Instant purchase = p.activity().lastPurchaseAt();
        if (interaction != null && interaction.isAfter(latest)) {
            latest = interaction;
        }
        if (purchase != null && purchase.isAfter(latest)) {
            latest = purchase;
        }
        return latest;
    }
}
