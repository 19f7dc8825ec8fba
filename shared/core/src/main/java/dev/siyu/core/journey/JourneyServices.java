package dev.siyu.core.journey;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DecisionCounts;
import dev.siyu.core.port.GroupStore;
import dev.siyu.core.port.JourneyRunStore;
import dev.siyu.core.port.OutreachCounters;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.tags.CorpTags;
import dev.siyu.core.time.Ids;
import dev.siyu.core.timer.StepScheduler;
import java.time.Clock;

/**
 * The journey engine's object graph from its ports, built the same way by journey-worker, the
 * scheduler, the demo and the benchmarks, so what they measure is what runs in AWS.
 */
public final class JourneyServices {
    public final Outreach outreach;
    public final ActionPerformer performer;
    public final JourneyStarter starter;
    public final StepRunner steps;

    public JourneyServices(ScrmConfig config, JourneyCatalog catalog, ConditionCompiler conditions,
                           CustomerStore customers, JourneyRunStore runs, OutreachCounters counters,
                           DecisionCounts decisions, GroupStore groups, WeComApi wecom, StepScheduler scheduler,
                           Clock clock, Ids ids) {
        this.outreach = new Outreach(new OutreachGate(config.guardrails(), config.timezone()), config.guardrails(),
                counters, decisions, config.timezone(), ids);
        this.performer = new ActionPerformer(config, outreach, wecom, new CorpTags(wecom, config.tagSystem()), groups,
                customers, ids);
        this.starter = new JourneyStarter(catalog, runs, customers, conditions, scheduler, ids);
        this.steps = new StepRunner(catalog, runs, customers, conditions, performer, scheduler, ids, clock);
    }
}
