package dev.siyu.core.journey;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.condition.Facts;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.StepCommit;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.DueStep;
import dev.siyu.core.timer.StepScheduler;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one due journey step (docs/architecture.md, Journey step): read the customer's state (run, profile and touch
 * records in one read, see {@link CustomerSnapshots}), stop if an exit condition holds, evaluate the step's
 * condition, lease the step, perform the action through the gate, and commit: the run moves {@code i -> i+1}
 * and frees the lease in the same atomic write as the step's events and touch records ({@link StepCommit}); then
 * schedule the next step.
 *
 * <p>Exactly once, under crashes too: the lease (with an expiry below the queue's visibility timeout) keeps two
 * deliveries from acting at once, and a delivery that finds it held throws, so the queue brings the step back
 * rather than losing it; once it expires (its holder died) the step is taken over. Every customer-facing send
 * is reserved as an intent before its WeCom call and reconciled with WeCom, never resent blindly, when a
 * takeover finds it unsettled ({@link ActionPerformer}). A delivery of step i that finds the run waiting at
 * i+1 long after the commit schedules i+1 again: the commit's writer may have died before its hand-off, and a
 * second delivery of i+1 is harmless.
 */
public final class StepRunner {
    public enum Outcome { DONE, SKIPPED, DEFERRED, EXITED, DUPLICATE, GONE }

    /** How long a delivery holds a step: below the SQS visibility timeout (180 s), above any step's work. */
    public static final Duration LEASE = Duration.ofSeconds(120);
    /**
     * After a commit, how long its writer has to schedule the next step before a delivery of the committed step
     * schedules it again. Not what makes the hand-off safe (a writer that fails to schedule never acknowledges
     * its message, which comes back after the visibility timeout, well past this, and repairs it); it only
     * spares a duplicate delivery arriving right after a live writer's commit from doubling the next step.
     */
    public static final Duration HAND_OFF = Duration.ofSeconds(10);

    private final JourneyCatalog catalog;
    private final JourneyRunStore runs;
    private final CustomerSnapshots snapshots;
    private final CustomerStore customers;
    private final java.time.ZoneId zone;
    private final ConditionCompiler conditions;
    private final ActionPerformer performer;
    private final StepScheduler scheduler;
    private final Ids ids;
    private final Clock clock;

    /**
     * @param snapshots the customer's state in one read and a step's writes in one (see {@link CustomerSnapshots})
     * @param customers for profile changes, applied to the latest copy
     * @param zone      the tenant's zone, for the touch records' periods
     */
    public StepRunner(JourneyCatalog catalog, JourneyRunStore runs, CustomerSnapshots snapshots, CustomerStore customers,
                      ConditionCompiler conditions, ActionPerformer performer, StepScheduler scheduler, Ids ids,
                      Clock clock, java.time.ZoneId zone) {
        this.catalog = catalog;
        this.runs = runs;
        this.snapshots = snapshots;
        this.customers = customers;
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
        Instant now = clock.instant();
        if (found.isEmpty() || !found.get().active()) {
            return Outcome.DUPLICATE;
        }
        JourneyRun run = found.get();
        if (run.step() == due.step() + 1) {
            handOffAgain(run, now, due.payload());
            return Outcome.DUPLICATE;
        }
        if (run.step() != due.step()) {
            return Outcome.DUPLICATE;
        }
        if (run.leasedToOther(null, now)) {
            throw new StepBusy("step " + due.step() + " of run " + run.runId() + " is leased until " + run.leaseUntil());
        }
        Optional<Journey> journey = catalog.journey(run.journey(), run.version());
        Optional<CustomerProfile> profile = state.profile();
        if (journey.isEmpty() || profile.isEmpty() || due.step() >= journey.get().steps().size()) {
            String why = journey.isEmpty() ? "journey version " + run.version() + " is gone" : "customer is gone";
            end(run, null, JourneyRun.Status.EXITED, why, now, List.of(), List.of());
            return Outcome.GONE;
        }
        Journey j = journey.get();
        CustomerProfile p = profile.get();
        JourneyStep step = j.steps().get(due.step());
        Map<String, Object> vars = Facts.vars(Facts.customer(p, now), runFacts(run), Map.of(), now);
        Map<String, String> context = context(run, step, due);
        if (p.mergedInto().isPresent()) {
            // The person lives on as the customer this profile was merged into, whose own journeys reach them:
            // this profile's runs end here, sending nothing (an earlier delivery's unsettled send is settled).
            Resolved r = resolveIntent(run, state, p, step, context, now);
            end(run, r.owner(), JourneyRun.Status.EXITED, "merged into " + p.mergedInto().get(), now,
                    r.done().events(), r.done().touches());
            return Outcome.EXITED;
        }
        if (j.exitWhen() != null && conditions.compile(j.exitWhen()).holds(vars)) {
            Resolved r = resolveIntent(run, state, p, step, context, now);
            end(run, r.owner(), JourneyRun.Status.EXITED, "exited: " + j.exitWhen(), now, r.done().events(),
                    r.done().touches());
            return Outcome.EXITED;
        }
        if (step.condition() != null && !conditions.compile(step.condition()).holds(vars)) {
            return skip(run, j, state, p, step, context, "condition does not hold: " + step.condition(), now,
                    due.payload());
        }
        if (p.activity().lowPriority() && automatedOutreach(step.action())) {
            return skip(run, j, state, p, step, context, "the customer's outreach priority is low", now,
                    due.payload());
        }
        String owner = ids.next("lease", now);
        if (!runs.lease(run.tenant(), run.customerId(), run.journey(), run.runId(), due.step(), owner, now,
                now.plus(LEASE))) {
            throw new StepBusy("step " + due.step() + " of run " + run.runId() + " was taken by another delivery");
        }
        Performed done;
        try {
            done = performer.perform(p, state.touches(), step.action(), context, now);
            if (done.change() != null) {
                customers.update(run.tenant(), run.customerId(), done.change(), List.of());
            }
        } catch (RuntimeException e) {
            // Only saves the retry the wait for the lease to lapse: a crash here skips it, and expiry does the same.
            release(run, owner, now);
            throw e;
        }
        boolean committed;
        try {
            if (done.deferredUntil() != null) {
                committed = commit(new StepCommit.RunChange(run.tenant(), run.customerId(), run.journey(), run.runId(),
                        due.step(), owner, due.step(), null, null, now), done.events(), done.touches());
            } else {
                committed = advance(run, j, due.step(), owner, now, due.payload(), new ArrayList<>(done.events()),
                        done.touches());
            }
        } catch (RuntimeException e) {
            // The sends are settled in WeCom and reserved here: the retry reconciles them and commits.
            release(run, owner, now);
            throw e;
        }
        if (done.deferredUntil() != null) {
            scheduler.schedule(StepDue.of(run, due.step(), done.deferredUntil(), due.payload()));
            return Outcome.DEFERRED;
        }
        // Refused only when the lease lapsed and another delivery took the step over: it commits it, not us.
        return committed ? Outcome.DONE : Outcome.DUPLICATE;
    }

    private Outcome skip(JourneyRun run, Journey j, CustomerSnapshots.Snapshot state, CustomerProfile p,
                         JourneyStep step, Map<String, String> context, String reason, Instant now,
                         Map<String, String> payload) {
        Resolved r = resolveIntent(run, state, p, step, context, now);
        Map<String, String> d = new LinkedHashMap<>(context);
        d.put("reason", reason);
        List<TimelineEvent> events = new ArrayList<>(r.done().events());
        events.add(new TimelineEvent(ids.next("ev", now), now, "step_skipped", null, d));
        return advance(run, j, run.step(), r.owner(), now, payload, events, r.done().touches())
                ? Outcome.SKIPPED : Outcome.DUPLICATE;
    }

    /** The lease taken to settle an earlier intent (null when there was none to settle) and what it settled. */
    private record Resolved(String owner, Performed done) { }

    /**
     * Before a step exits or is skipped: an intent an earlier delivery of it left unsettled (SENDING) is settled
     * first, under the step's lease, so a message that went out is recorded and one that did not frees its cap
     * slot ({@link ActionPerformer#resolve}). Without one, nothing is leased: the commit itself is conditional on
     * the step and on nobody holding it.
     */
    private Resolved resolveIntent(JourneyRun run, CustomerSnapshots.Snapshot state, CustomerProfile p,
                                   JourneyStep step, Map<String, String> context, Instant now) {
        String touchId = ActionPerformer.touchId(p, context);
        // The step's send, its staff task's draft, or its subscription message.
        boolean unsettled = state.touches().stream()
                .anyMatch(t -> (t.id().equals(touchId) || t.id().equals(touchId + "#draft")
                        || t.id().equals(touchId + ActionPerformer.SUBSCRIPTION_TOUCH))
                        && t.status() == TouchRecord.Status.SENDING);
        if (!unsettled) {
            return new Resolved(null, new Performed(null, List.of(), null, List.of()));
        }
        String owner = ids.next("lease", now);
        if (!runs.lease(run.tenant(), run.customerId(), run.journey(), run.runId(), run.step(), owner, now,
                now.plus(LEASE))) {
            throw new StepBusy("step " + run.step() + " of run " + run.runId() + " was taken by another delivery");
        }
        try {
            return new Resolved(owner, performer.resolve(p, state.touches(), step.action(), context, now));
        } catch (RuntimeException e) {
            release(run, owner, now);
            throw e;
        }
    }

    /**
     * Commits step {@code done} (moving the run on, or ending it after the last step) with its events and touch
     * records, then schedules the next step. False when the run no longer accepted the commit.
     */
    private boolean advance(JourneyRun run, Journey j, int done, String owner, Instant now, Map<String, String> payload,
                            List<TimelineEvent> events, List<TouchRecord> touches) {
        int next = done + 1;
        if (next >= j.steps().size()) {
            return end(run, owner, JourneyRun.Status.COMPLETED, "completed", now, events, touches);
        }
        if (!commit(new StepCommit.RunChange(run.tenant(), run.customerId(), run.journey(), run.runId(), done, owner,
                next, null, null, now), events, touches)) {
            return false;
        }
        scheduler.schedule(nextDue(run, j, next, now, payload));
        return true;
    }

    /**
     * The run waits at the step after this delivery's: if it has waited longer than a live writer takes to hand
     * it on, the hand-off may have been lost (the writer died between its commit and the queue), so it is made
     * again. A duplicate of the next step is harmless: it finds the run moved on, or the step leased.
     */
    private void handOffAgain(JourneyRun run, Instant now, Map<String, String> payload) {
        Instant since = run.steppedAt() == null ? run.startedAt() : run.steppedAt();
        if (since.plus(HAND_OFF).isAfter(now) || run.leaseOwner() != null) {
            return;
        }
        catalog.journey(run.journey(), run.version())
                .filter(j -> run.step() < j.steps().size())
                .ifPresent(j -> scheduler.schedule(nextDue(run, j, run.step(), now, payload)));
    }

    private static DueStep nextDue(JourneyRun run, Journey j, int next, Instant now, Map<String, String> payload) {
        Instant due = j.steps().get(next).dueAt(run.anchor(), run.cycle());
        return StepDue.of(run, next, due.isBefore(now) ? now : due, payload);
    }

    /** Ends the run at its step with the event that says so (and the step's own writes); false when refused. */
    private boolean end(JourneyRun run, String owner, JourneyRun.Status status, String reason, Instant now,
                        List<TimelineEvent> stepEvents, List<TouchRecord> touches) {
        String kind = status == JourneyRun.Status.COMPLETED ? "journey_completed" : "journey_exited";
        List<TimelineEvent> events = new ArrayList<>(stepEvents);
        events.add(new TimelineEvent(ids.next("ev", now), now, kind, null,
                Map.of("journey", run.journey(), "run", run.runId(), "reason", reason)));
        int at = run.step();
        return commit(new StepCommit.RunChange(run.tenant(), run.customerId(), run.journey(), run.runId(), at, owner,
                status == JourneyRun.Status.COMPLETED ? at + 1 : at, status, reason, now), events, touches);
    }

    private void release(JourneyRun run, String owner, Instant now) {
        runs.advance(new StepCommit.RunChange(run.tenant(), run.customerId(), run.journey(), run.runId(), run.step(),
                owner, run.step(), null, null, now));
    }

    /**
     * The run's move with the step's writes. Event ids are derived from the run, the step and the event, so
     * writing the same commit again (a retried request) rewrites the same items.
     */
    private boolean commit(StepCommit.RunChange change, List<TimelineEvent> events, List<TouchRecord> touches) {
        List<TimelineEvent> keyed = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            TimelineEvent e = events.get(i);
            keyed.add(new TimelineEvent(ids.derived("ev", e.at(), change.journey() + "#" + change.runId() + "#"
                    + change.step() + "#" + e.kind() + "#" + i), e.at(), e.kind(), e.staffUserId(), e.details()));
        }
        return snapshots.commitStep(new StepCommit(change, keyed, touches), zone);
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
