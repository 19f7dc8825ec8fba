package dev.siyu.core.port;

import dev.siyu.core.journey.JourneyRun;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A customer's state (profile, journey runs, touch records) read together and a step's writes made
 * together: what a journey step needs, in as few round trips as the store allows. On DynamoDB the
 * state shares one partition under one sort-key prefix, so the read is one Query that leaves the
 * timeline out, and a step's writes are one transaction with its run's move ({@link #commitStep}).
 */
public interface CustomerSnapshots {

    /** Strongly consistent: a worker claims the step it read. */
    Snapshot snapshot(String tenant, String customerId);

    /**
     * The customer's state with the whole timeline (oldest first), for one customer scored on demand: the models
     * read the timeline, the trigger check the runs. Stores that hold both in one partition read them in one
     * round trip (on DynamoDB one strongly consistent Query: the timeline at twice the read units of its usual
     * eventually consistent read); this default reads them one after the other.
     */
    default StateAndTimeline snapshotWithTimeline(String tenant, String customerId, CustomerStore customers) {
        return new StateAndTimeline(snapshot(tenant, customerId), customers.timeline(tenant, customerId));
    }

    /** A {@link Snapshot} and the customer's timeline, oldest first. */
    record StateAndTimeline(Snapshot state, List<TimelineEvent> timeline) {
        public StateAndTimeline {
            Objects.requireNonNull(state, "state");
            timeline = List.copyOf(timeline);
        }
    }

    /**
     * A journey step's writes and its run's move together ({@link StepCommit}); false, with nothing written,
     * when the run no longer accepts the move (another delivery took the step over or it moved on).
     */
    boolean commitStep(StepCommit commit, ZoneId tenantZone);

    /**
     * Several customers' events and touch records at once (on DynamoDB: BatchWriteItem, 25 items a request,
     * across partitions), for jobs that touch many customers, e.g. a mass send. Not atomic: a partial failure
     * is retried whole by the caller, and every item is an idempotent put. Profiles change through
     * {@link CustomerStore#update}, never here.
     */
    void commitAll(String tenant, List<Writes> writes, ZoneId tenantZone);

    /** One customer's part of {@link #commitAll}. */
    record Writes(String customerId, List<TimelineEvent> events, List<TouchRecord> touches) {
        public Writes {
            Objects.requireNonNull(customerId, "customerId");
            events = List.copyOf(events);
            touches = List.copyOf(touches);
        }
    }

    /** @param runs oldest first */
    record Snapshot(Optional<CustomerProfile> profile, List<JourneyRun> runs, List<TouchRecord> touches) {
        public Snapshot {
            Objects.requireNonNull(profile, "profile");
            runs = List.copyOf(runs);
            touches = List.copyOf(touches);
        }

        public Optional<JourneyRun> run(String journey, String runId) {
            return runs.stream().filter(r -> r.journey().equals(journey) && r.runId().equals(runId)).findFirst();
        }

        /** Oldest first, as {@link JourneyRunStore#runs}. */
        public static List<JourneyRun> sorted(List<JourneyRun> runs) {
            List<JourneyRun> sorted = new ArrayList<>(runs);
            sorted.sort(Comparator.comparing(JourneyRun::startedAt).thenComparing(JourneyRun::runId));
            return sorted;
        }
    }

    /**
     * The same from the three separate ports, for stores where separate reads cost nothing (memory).
     * Without counters (null) a snapshot has no touch records and commits none.
     */
    static CustomerSnapshots of(CustomerStore customers, JourneyRunStore runs, OutreachCounters counters) {
        return new CustomerSnapshots() {
            @Override
            public Snapshot snapshot(String tenant, String customerId) {
                return new Snapshot(customers.profile(tenant, customerId), runs.runs(tenant, customerId),
                        counters == null ? List.of() : counters.touches(tenant, customerId));
            }

            /**
             * The run moves first: a crash after it loses the step's events (never doubles a touch: a
             * SENDING intent still holds its slot), where writing them first could double them on a takeover.
             */
            @Override
            public boolean commitStep(StepCommit c, ZoneId tenantZone) {
                if (!runs.advance(c.run())) {
                    return false;
                }
                write(c.run().tenant(), c.run().customerId(), c.events(), c.touches(), tenantZone);
                return true;
            }

            @Override
            public void commitAll(String tenant, List<Writes> writes, ZoneId tenantZone) {
                writes.forEach(w -> write(tenant, w.customerId(), w.events(), w.touches(), tenantZone));
            }

            private void write(String tenant, String customerId, List<TimelineEvent> events, List<TouchRecord> touches,
                               ZoneId tenantZone) {
                if (!events.isEmpty()) {
                    customers.append(tenant, customerId, events);
                }
                if (!touches.isEmpty()) {
                    Objects.requireNonNull(counters, "touch records need the counters");
                    touches.forEach(t -> counters.record(tenant, t, tenantZone));
                }
            }
        };
    }
}
