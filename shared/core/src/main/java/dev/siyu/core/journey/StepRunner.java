package dev.siyu.core.journey;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.Facts;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepScheduler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one due journey step: read the customer's state (run, profile and touch
 * records in one read, see {@link CustomerSnapshots}), stop if an exit
 * condition holds, evaluate the step's condition, claim the step ({@code step = i -> i+1}), perform
 * the action through the gate, write the outcome (events, changed profile, touch records) in one write and
 * schedule the next step. A step costs a read, the claim and that write (plus the run's end after the last
 * step, and what the action itself reads or claims).
 *
 * <p>The claim comes before the action, so of any number of deliveries of the same step one acts and
 * the rest see a run that moved on. A failing action gives the claim back and throws, so the queue
 * redelivers it (and after the redrive limit, parks it in the DLQ); a deferral gives it back too and
 * schedules the same step at the time the gate named.
 */
public final class StepRunner {
    public enum Outcome { DONE, SKIPPED, DEFERRED, EXITED, DUPLICATE, GONE }

    private final JourneyCatalog catalog;
    private final JourneyRunStore runs;
    private final CustomerSnapshots snapshots;
    private final java.time.ZoneId zone;
    private final ConditionCompiler conditions;
    private final ActionPerformer performer;
    private final StepScheduler scheduler;
    private final Ids ids;
    private final Clock clock;

    /**
     * @param snapshots the customer's state in one read and a step's writes in one (see {@link CustomerSnapshots})
     * @param zone      the tenant's zone, for the touch records' periods
     */
    public StepRunner(JourneyCatalog catalog, JourneyRunStore runs, CustomerSnapshots snapshots,
                      ConditionCompiler conditions, ActionPerformer performer, StepScheduler scheduler, Ids ids,
                      Clock clock, java.time.ZoneId zone) {
        this.catalog = catalog;
        this.runs = runs;
        this.snapshots = snapshots;
        this.zone = zone;
        this.conditions = conditions;
        this.performer = performer;
        this.scheduler = scheduler;
        this.ids = ids;
        this.clock = clock;
    }

    public Outcome run(DueStep due) {
        CustomerSnapshots.Snapshot state = snapshots.snapshot(due.tenant(), due.customerId());
        Optional<JourneyRun> found = state.run(due.journey(), due.runId());
        if (found.isEmpty() || !found.get().active() || found.get().step() != due.step()) {
            return Outcome.DUPLICATE;
        }
        JourneyRun run = found.get();
        Instant now = clock.instant();
        Optional<Journey> journey = catalog.journey(run.journey(), run.version());
        Optional<CustomerProfile> profile = state.profile();
        if (journey.isEmpty() || profile.isEmpty() || due.step() >= journey.get().steps().size()) {
            String why = journey.isEmpty() ? "journey version " + run.version() + " is gone" : "customer is gone";
            end(run, due.step(), JourneyRun.Status.EXITED, why, now).ifPresent(e -> commit(run, null, List.of(e), List.of()));
            return Outcome.GONE;
        }
        Journey j = journey.get();
        CustomerProfile p = profile.get();
        JourneyStep step = j.steps().get(due.step());
        Map<String, Object> vars = Facts.vars(Facts.customer(p, now), runFacts(run), Map.of(), now);
        if (j.exitWhen() != null && conditions.compile(j.exitWhen()).holds(vars)) {
            end(run, due.step(), JourneyRun.Status.EXITED, "exited: " + j.exitWhen(), now)
                    .ifPresent(e -> commit(run, null, List.of(e), List.of()));
            return Outcome.EXITED;
        }
        Map<String, String> context = context(run, step, due);
        if (step.condition() != null && !conditions.compile(step.condition()).holds(vars)) {
            return skip(run, j, context, "condition does not hold: " + step.condition(), now, due.payload());
        }
        if (p.activity().lowPriority() && automatedOutreach(step.action())) {
            return skip(run, j, context, "the customer's outreach priority is low", now, due.payload());
        }
        if (!runs.claim(run.tenant(), run.customerId(), run.journey(), run.runId(), due.step())) {
            return Outcome.DUPLICATE;
        }
        Performed done;
        try {
            done = performer.perform(p, state.touches(), step.action(), context, now);
        } catch (RuntimeException e) {
            runs.unclaim(run.tenant(), run.customerId(), run.journey(), run.runId(), due.step());
            throw e;
        }
        if (done.deferredUntil() != null) {
            commit(run, done.changed(), done.events(), done.touches());
            runs.unclaim(run.tenant(), run.customerId(), run.journey(), run.runId(), due.step());
            scheduler.schedule(StepDue.of(run, due.step(), done.deferredUntil(), due.payload()));
            return Outcome.DEFERRED;
        }
        List<TimelineEvent> events = new ArrayList<>(done.events());
        Optional<DueStep> following = next(run, j, due.step(), now, due.payload(), events);
        // The step's events, its touch records and (after the last step) the run's end go out together.
        commit(run, done.changed(), events, done.touches());
        following.ifPresent(scheduler::schedule);
        return Outcome.DONE;
    }

    private Outcome skip(JourneyRun run, Journey j, Map<String, String> context, String reason,
                         Instant now, Map<String, String> payload) {
        int i = run.step();
        if (!runs.claim(run.tenant(), run.customerId(), run.journey(), run.runId(), i)) {
            return Outcome.DUPLICATE;
        }
        Map<String, String> d = new LinkedHashMap<>(context);
        d.put("reason", reason);
        List<TimelineEvent> events = new ArrayList<>(List.of(new TimelineEvent(ids.next("ev", now), now,
                "step_skipped", null, d)));
        Optional<DueStep> following = next(run, j, i, now, payload, events);
        commit(run, null, events, List.of());
        following.ifPresent(scheduler::schedule);
        return Outcome.SKIPPED;
    }

    /**
     * After step {@code done}: the next step to schedule (once the caller has written), or, after the last
     * one, the run ended here with its event added to {@code events}.
     */
    private Optional<DueStep> next(JourneyRun run, Journey j, int done, Instant now, Map<String, String> payload,
                                   List<TimelineEvent> events) {
        int next = done + 1;
        if (next >= j.steps().size()) {
            end(run, next, JourneyRun.Status.COMPLETED, "completed", now).ifPresent(events::add);
            return Optional.empty();
        }
        Instant due = j.steps().get(next).dueAt(run.anchor(), run.cycle());
        return Optional.of(StepDue.of(run, next, due.isBefore(now) ? now : due, payload));
    }

    /** Ends the run if it is still at that step; the event that says so, for the caller to write. */
    private Optional<TimelineEvent> end(JourneyRun run, int atStep, JourneyRun.Status status, String reason,
                                        Instant now) {
        if (!runs.end(run.tenant(), run.customerId(), run.journey(), run.runId(), atStep, status, reason, now)) {
            return Optional.empty();
        }
        String kind = status == JourneyRun.Status.COMPLETED ? "journey_completed" : "journey_exited";
        return Optional.of(new TimelineEvent(ids.next("ev", now), now, kind, null,
                Map.of("journey", run.journey(), "run", run.runId(), "reason", reason)));
    }

    private void commit(JourneyRun run, CustomerProfile changed, List<TimelineEvent> events, List<TouchRecord> touches) {
        if (changed != null || !events.isEmpty() || !touches.isEmpty()) {
            snapshots.commit(run.tenant(), run.customerId(), changed, events, touches, zone);
        }
    }

    /** Automated touches a low-priority customer no longer gets; staff tasks and tag/stage changes still run. */
    private static boolean automatedOutreach(Action a) {
        if (a instanceof Action.SendMessage m) {
            return m.content() == ContentClass.PROMOTIONAL;
        }
        return a instanceof Action.IssueCoupon || a instanceof Action.GroupInvite || a instanceof Action.MomentsPost;
    }

    private static Map<String, String> context(JourneyRun run, JourneyStep step, DueStep due) {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("journey", run.journey());
        c.put("run", run.runId());
        c.put("step", Integer.toString(due.step()));
        String chat = due.payload().get("chat_id");
        if (chat != null) {
            c.put("chat_id", chat);
        }
        c.put("label", step.label() == null ? step.action().type() : step.label());
        return c;
    }

    static Map<String, Object> runFacts(JourneyRun run) {
        Map<String, Object> r = new HashMap<>();
        r.put("journey", run.journey());
        r.put("started_at", run.startedAt());
        r.put("anchor", run.anchor());
        r.put("step", (long) run.step());
        return r;
    }
}
