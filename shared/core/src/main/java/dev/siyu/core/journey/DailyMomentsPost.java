package dev.siyu.core.journey;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.gate.Channel;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.outreach.SendReconciler;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.port.WeComApiException;
import dev.siyu.core.tags.CorpTags;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * One Moments post per text, tag and day (add_moment_task): customers tagged later that day see the same post,
 * so the daily Moments cap holds however many dormant customers reach the step. At most once, like every send:
 * its intent is a touch record of its own pseudo audience (see {@link #publish}).
 */
final class DailyMomentsPost {
    /** Touch records of a day's Moments post live under this pseudo audience. */
    static final String AUDIENCE_PREFIX = "moments:";

    private final ScrmConfig config;
    private final Outreach outreach;
    private final WeComApi wecom;
    private final CorpTags corpTags;
    private final SendReconciler reconciler;

    DailyMomentsPost(ScrmConfig config, Outreach outreach, WeComApi wecom, CorpTags corpTags,
                     SendReconciler reconciler) {
        this.config = config;
        this.outreach = outreach;
        this.wecom = wecom;
        this.corpTags = corpTags;
        this.reconciler = reconciler;
    }

    /**
     * Publishes the day's post for the text and tag once, whichever customer's step gets there first. Its intent
     * is a touch record of the pseudo audience {@code moments:<day>#<tag>#<texthash>} (seq 1, then one more per
     * takeover, so two writers never both post): SENT, the post is out; SENDING for less than the step lease, someone is posting it now (this
     * step waits); SENDING for longer, its writer died, and WeCom's Moments list says whether it got the post.
     * Returns WeCom's jobid (or the moment_id found); the outcome is written at once, as every customer that day
     * reads it.
     */
    String publish(String tenant, Action.MomentsPost a, Instant now) {
        String day = now.atZone(config.timezone()).toLocalDate().toString();
        String key = day + "#" + a.visibleToTag() + "#" + Integer.toHexString(a.text().hashCode());
        String audience = AUDIENCE_PREFIX + key;
        String touchId = "moments#" + key;
        Optional<TouchRecord> latest = outreach.touches(tenant, audience).stream()
                .max(Comparator.comparingLong(TouchRecord::seq));
        if (latest.isPresent() && latest.get().status() == TouchRecord.Status.SENT) {
            return latest.get().outcome();
        }
        if (latest.isPresent() && latest.get().status() == TouchRecord.Status.SENDING) {
            if (latest.get().at().plus(StepRunner.LEASE).isAfter(now)) {
                throw new StepBusy("the Moments post " + touchId + " is being published by another step");
            }
            SendReconciler.Lookup found = reconciler.moment(a.text(), latest.get().at(), now);
            if (found.kind() != SendReconciler.Lookup.Kind.ABSENT) {
                // Found, or not to be known: never posted a second time (at most once).
                outreach.record(tenant, latest.get().settled(TouchRecord.Status.SENT, found.outcome()));
                return found.outcome();
            }
        }
        TouchRecord intent = new TouchRecord(audience, touchId, now, Channel.MOMENTS_POST, null, false,
                latest.map(r -> r.seq() + 1).orElse(1L), "", TouchRecord.Status.SENDING, null);
        if (!outreach.reserve(tenant, intent)) {
            throw new StepBusy("another step took the Moments post " + touchId);
        }
        List<String> senders = config.staff().stream().map(StaffMember::userId).toList();
        String jobId;
        try {
            jobId = wecom.touching(touchId).addMomentTask(a.text(), senders, corpTags.ensure(List.of(a.visibleToTag())));
        } catch (WeComApiException e) {
            if (e.errcode() > 0) {
                // WeCom answered no: nothing was posted, the next step may post it at once.
                outreach.record(tenant, intent.settled(TouchRecord.Status.CANCELLED, null));
            }
            throw e;
        }
        outreach.record(tenant, intent.settled(TouchRecord.Status.SENT, jobId));
        return jobId;
    }
}
