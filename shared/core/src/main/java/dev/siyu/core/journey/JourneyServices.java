package dev.siyu.core.journey;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.outreach.SubscriptionMessages;
import dev.siyu.core.port.CustomerSnapshots;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DecisionCounts;
import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.StepScheduler;
import java.time.Clock;

/**
 * The journey engine's object graph from its ports (a journey's 1-on-1 messages and staff tasks go to the staff
 * desk), built the same way by journey-worker, the
 * scheduler, the demo and the benchmarks, so what they measure is what runs in AWS.
 */
public final class JourneyServices {
    public final Outreach outreach;
    public final ActionPerformer performer;
    public final JourneyStarter starter;
    public final StepRunner steps;

    /**
     * A customer store that can also read and write a customer's state together ({@link CustomerSnapshots},
     * as the DynamoDB one does) serves the steps that way; any other gets the three ports composed.
     */
    public JourneyServices(ScrmConfig config, JourneyCatalog catalog, ConditionCompiler conditions,
                           CustomerStore customers, JourneyRunStore runs, OutreachCounters counters,
                           DecisionCounts decisions, GroupStore groups, WeComApi wecom, StepScheduler scheduler,
                           Clock clock, Ids ids, DeskStore desk) {
        this(config, catalog, conditions, customers, runs, counters, decisions, groups, wecom, scheduler, clock, ids,
                null, desk);
    }

    /** As above, with the pools' counters a {@code senior: true} task's least loaded senior advisor is picked by. */
    public JourneyServices(ScrmConfig config, JourneyCatalog catalog, ConditionCompiler conditions,
                           CustomerStore customers, JourneyRunStore runs, OutreachCounters counters,
                           DecisionCounts decisions, GroupStore groups, WeComApi wecom, StepScheduler scheduler,
                           Clock clock, Ids ids, StaffLoadStore loads, DeskStore desk) {
        this(config, catalog, conditions, customers,
                customers instanceof CustomerSnapshots s ? s : CustomerSnapshots.of(customers, runs, counters), runs,
                counters, decisions, groups, wecom, scheduler, clock, ids, loads, desk);
    }

    /**
     * @param decisions the gate's decision counts; a {@link dev.siyu.core.outreach.BatchedDecisionCounts} when
     *                  the caller flushes them once per batch of steps
     */
    public JourneyServices(ScrmConfig config, JourneyCatalog catalog, ConditionCompiler conditions,
                           CustomerStore customers, CustomerSnapshots snapshots, JourneyRunStore runs,
                           OutreachCounters counters, DecisionCounts decisions, GroupStore groups, WeComApi wecom,
                           StepScheduler scheduler, Clock clock, Ids ids, DeskStore desk) {
        this(config, catalog, conditions, customers, snapshots, runs, counters, decisions, groups, wecom, scheduler,
                clock, ids, null, desk);
    }

    /** @param loads the pools' counters a {@code senior: true} task's least loaded senior advisor is picked by */
    public JourneyServices(ScrmConfig config, JourneyCatalog catalog, ConditionCompiler conditions,
                           CustomerStore customers, CustomerSnapshots snapshots, JourneyRunStore runs,
                           OutreachCounters counters, DecisionCounts decisions, GroupStore groups, WeComApi wecom,
                           StepScheduler scheduler, Clock clock, Ids ids, StaffLoadStore loads,
                           DeskStore desk) {
        this(config, catalog, conditions, customers, snapshots, runs, counters, decisions, groups, wecom, scheduler,
                clock, ids, loads, desk, null);
    }

    /**
     * @param subscriptions a message step named for a subscription template goes as a Mini Program subscription
     *                      message when the member has a live one; null: those steps always go their normal way
     */
    public JourneyServices(ScrmConfig config, JourneyCatalog catalog, ConditionCompiler conditions,
                           CustomerStore customers, CustomerSnapshots snapshots, JourneyRunStore runs,
                           OutreachCounters counters, DecisionCounts decisions, GroupStore groups, WeComApi wecom,
                           StepScheduler scheduler, Clock clock, Ids ids, StaffLoadStore loads,
                           DeskStore desk, SubscriptionMessages subscriptions) {
        this.outreach = new Outreach(new OutreachGate(config.guardrails(), config.timezone(),
                OutreachGate.OPENING_SPREAD), config.guardrails(),
                counters, decisions, config.timezone(), ids);
        this.performer = new ActionPerformer(config, outreach, wecom, new CorpTags(wecom, config.tagSystem()), groups,
                customers, ids, loads, desk, subscriptions);
        this.starter = new JourneyStarter(catalog, runs, customers, snapshots, conditions, scheduler, ids, clock);
        this.steps = new StepRunner(catalog, runs, snapshots, customers, conditions, performer, scheduler, ids, clock,
                config.timezone());
    }
}
