package dev.siyu.functions.scheduler;

import dev.siyu.core.engine.JobSummary;
import dev.siyu.core.engine.OperatorActions;
import dev.siyu.core.engine.RecordMaps;
import dev.siyu.core.schedule.CommunityCare;
import dev.siyu.core.schedule.DailyRules;
import dev.siyu.core.schedule.FreeloaderScan;
import dev.siyu.core.schedule.GroupSop;
import dev.siyu.core.schedule.Offboarding;
import dev.siyu.core.timer.TimerSweep;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The job summaries {@link RecordMaps} reads by reflection (record components), kept for the native
 * build, which only knows the classes it is told about. A new job's summary records belong here.
 */
@RegisterForReflection(targets = {TimerSweep.Result.class, DailyRules.Summary.class, DailyRules.RuleProblem.class,
        GroupSop.Summary.class, CommunityCare.Summary.class, CommunityCare.PruneSummary.class,
        CommunityCare.InviteSummary.class, FreeloaderScan.Summary.class, Offboarding.Summary.class,
        Offboarding.AssignSummary.class, Offboarding.PollSummary.class, JobRequest.class, JobSummary.class,
        OperatorActions.MassSendSummary.class, OperatorActions.TransferSummary.class,
        dev.siyu.core.member.PointsExpiry.Summary.class})
final class NativeReflection {
    private NativeReflection() {
    }
}
