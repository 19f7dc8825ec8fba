package dev.siyu.sim;

import dev.siyu.core.condition.ConditionCompiler;
import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.gate.OutreachGate;
import dev.siyu.core.schedule.ChurnHeuristic;
import dev.siyu.core.schedule.CommunityCare;
import dev.siyu.core.schedule.DailyRules;
import dev.siyu.core.schedule.FreeloaderScan;
import dev.siyu.core.schedule.GroupSop;
import dev.siyu.core.tags.CorpTags;
import java.time.LocalTime;

/**
 * The scheduler function's jobs on the simulation's clock, at the times template.yaml gives their
 * EventBridge rules: daily rules at 02:00, community care at 10:30 (in business hours, so its invites
 * go out), the freeloader scan at 04:00, the group SOP at its calendar's times (its 15-minute rule
 * finds nothing to do in between). The timer sweep runs on every step of the simulation.
 */
public final class SimulationJobs {
    private SimulationJobs() {
    }

    public static void install(Simulation sim, ConditionCompiler conditions) {
        ScrmConfig config = sim.config();
        Simulation.Ports p = sim.ports();
        CorpTags tags = new CorpTags(p.wecom(), config.tagSystem());
        DailyRules rules = new DailyRules(config, p.profiles(), p.customers(), p.wecom(), tags, conditions,
                sim.engine().starter, ChurnHeuristic.DEFAULT, sim.ids());
        CommunityCare community = new CommunityCare(config, p.groups(), p.customers(), p.profiles(), sim.engine().outreach,
                p.wecom(), tags, conditions, sim.ids(),
                "You're invited to our VIP Member Group: early access and member prices. Tap to join.");
        FreeloaderScan freeloaders = new FreeloaderScan(config, p.profiles(), p.customers(), sim.ids());
        GroupSop sop = new GroupSop(config, p.groups(), p.customers(), new OutreachGate(config.guardrails(), config.timezone()),
                p.counters(), p.decisions(), p.tenantLog(), p.wecom(), sim.ids(), "pages/index/index",
                GroupSop.SCHEDULED_LOOKBACK);
        sim.daily("daily-rules", LocalTime.of(2, 0), rules::run);
        sim.daily("community", LocalTime.of(10, 30), community::run);
        sim.daily("freeloaders", LocalTime.of(4, 0), freeloaders::run);
        // EventBridge runs group-sop every 15 minutes; here it runs at the calendar's own times and at the
        // business-hours opening, which is when a 15-minute run would find something to do.
        java.util.SortedSet<LocalTime> times = new java.util.TreeSet<>();
        times.add(config.guardrails().businessHours().start());
        config.sopCalendar().templates().values().forEach(t -> {
            t.daily().forEach(slot -> times.add(slot.at()));
            t.weekly().forEach(event -> times.add(event.at()));
        });
        times.forEach(at -> sim.daily("group-sop " + at, at, sop::run));
    }
}
