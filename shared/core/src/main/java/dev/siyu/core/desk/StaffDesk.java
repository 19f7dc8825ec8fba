package dev.siyu.core.desk;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.gate.ContentClass;
import dev.siyu.core.gate.Decision;
import dev.siyu.core.gate.Touch;
import dev.siyu.core.outreach.Outreach;
import dev.siyu.core.port.CustomerStore;
import dev.siyu.core.port.DeskStore;
import dev.siyu.core.port.TouchRecord;
import dev.siyu.core.profile.CustomerProfile;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.time.Ids;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The staff desk: the 1-on-1 touches journeys leave for a customer's advisor to send from the WeCom sidebar as
 * their own chat message (docs/architecture.md, Staff desk). A journey step makes the task and moves on; the
 * staff member sends it, dismisses it, or lets it expire.
 *
 * <p>Each close is one conditional write (OPEN to SENT or DISMISSED before the task's expiry, to EXPIRED at or
 * after it; the store enforces both, so a click racing the sweep closes the task one way only) and idempotent
 * follow-ups after it: the timeline event (its id and time fixed by the task's close) and the touch record (kept
 * while the task may still go out, cancelled when it will not, so the weekly journey cap and the content mix count
 * what really reached the customer). The close marks its follow-ups due and the follow-ups clear the mark, so a
 * crash between the two is repaired by the hourly sweep ({@link #expire}), whether or not anyone clicks again.
 */
public final class StaffDesk {
    public static final String SENT = "staff_message_sent";
    public static final String DISMISSED = "staff_task_dismissed";
    public static final String EXPIRED = "staff_task_expired";
    /** How long a claim holds a task for its send: the staff member confirms WeCom's send dialog meanwhile. */
    public static final java.time.Duration CLAIM = java.time.Duration.ofMinutes(10);

    private final ScrmConfig config;
    private final DeskStore desk;
    private final CustomerStore customers;
    private final Outreach outreach;
    private final Ids ids;

    public StaffDesk(ScrmConfig config, DeskStore desk, CustomerStore customers, Outreach outreach, Ids ids) {
        this.config = Objects.requireNonNull(config, "config");
        this.desk = Objects.requireNonNull(desk, "desk");
        this.customers = Objects.requireNonNull(customers, "customers");
        this.outreach = Objects.requireNonNull(outreach, "outreach");
        this.ids = Objects.requireNonNull(ids, "ids");
    }

    /** The staff member's tasks still to work at now, oldest first; of one customer when customerId is not null. */
    public List<DeskTask> open(String tenant, String staffUserId, String customerId, Instant now) {
        return desk.open(tenant, staffUserId).stream()
                .filter(t -> t.openAt(now))
                .filter(t -> customerId == null || customerId.equals(t.customerId()))
                .sorted(Comparator.comparing(DeskTask::createdAt).thenComparing(DeskTask::id))
                .toList();
    }

    /**
     * The staff member is about to send the task's message from their own chat: checked first, then held for them.
     * Only their own task, only while it is open and not expired, and only while no red line holds (the customer
     * deleted them, or withdrew the consent the task's content needs): the sidebar shows the reason and sends
     * nothing. A claimed task may be marked sent until {@link #CLAIM} after the claim, even past its expiry, and the
     * sweep does not expire it before then. A task already sent answers as it is (the page sends nothing again).
     */
    public DeskTask claim(String tenant, String staffUserId, String taskId, Instant now) {
        DeskTask task = mine(tenant, staffUserId, taskId);
        if (task.status() == DeskTask.Status.SENT) {
            return task;
        }
        if (task.status() != DeskTask.Status.OPEN) {
            followUp(tenant, task);
            throw closed(task);
        }
        if (!now.isBefore(task.expiresAt())) {
            if (now.isBefore(task.deadline())) {
                return task; // claimed before its expiry and still held: the same send may go on
            }
            DeskTask expired = expireOne(tenant, task);
            if (expired.status() == DeskTask.Status.SENT) {
                return expired;
            }
            throw closed(expired);
        }
        redLine(tenant, task, now).ifPresent(reason -> {
            throw new DeskRefused(DeskRefused.Why.RED_LINE, reason);
        });
        DeskTask claimed = desk.claim(tenant, staffUserId, taskId, now, now.plus(CLAIM)).orElse(task);
        if (claimed.status() == DeskTask.Status.SENT) {
            return claimed;
        }
        if (claimed.status() != DeskTask.Status.OPEN || claimed.claimedUntil() == null) {
            throw closed(claimed);
        }
        return claimed;
    }

    /**
     * The staff member sent the task's message from their own chat. Only their own task, only while it is open and
     * in time (before its expiry, or before the end of its claim), and, unless claimed (the claim checked them
     * before the message went out), only while no red line holds. Marking a task sent twice answers the same task.
     */
    public DeskTask markSent(String tenant, String staffUserId, String taskId, Instant now) {
        DeskTask task = mine(tenant, staffUserId, taskId);
        if (task.status() == DeskTask.Status.SENT) {
            followUp(tenant, task);
            return task;
        }
        if (task.status() != DeskTask.Status.OPEN) {
            // The click that closed it may have died before its follow-ups: asking again repairs them.
            followUp(tenant, task);
            throw closed(task);
        }
        if (!DeskStore.inTime(task, DeskTask.Status.SENT, now)) {
            DeskTask expired = expireOne(tenant, task);
            if (expired.status() != DeskTask.Status.SENT) {
                throw closed(expired);
            }
            return expired;
        }
        if (task.claimedUntil() == null) {
            redLine(tenant, task, now).ifPresent(reason -> {
                throw new DeskRefused(DeskRefused.Why.RED_LINE, reason);
            });
        }
        DeskTask sent = closeAs(tenant, task, DeskTask.Status.SENT, now);
        if (sent.status() == DeskTask.Status.OPEN) {
            // Refused by the store as too late (the deadline passed while we checked): it expires instead.
            sent = expireOne(tenant, sent);
        }
        if (sent.status() != DeskTask.Status.SENT) {
            throw closed(sent);
        }
        return sent;
    }

    /** The staff member will not send it (the customer was just helped another way, or it no longer fits). */
    public DeskTask dismiss(String tenant, String staffUserId, String taskId, Instant now) {
        DeskTask task = mine(tenant, staffUserId, taskId);
        if (task.status() == DeskTask.Status.DISMISSED) {
            followUp(tenant, task);
            return task;
        }
        if (task.status() != DeskTask.Status.OPEN) {
            followUp(tenant, task);
            throw closed(task);
        }
        if (!now.isBefore(task.expiresAt())) {
            // Claimed and still held, its send may yet be marked; otherwise it expires now.
            throw closed(now.isBefore(task.deadline()) ? task : expireOne(tenant, task));
        }
        DeskTask dismissed = closeAs(tenant, task, DeskTask.Status.DISMISSED, now);
        if (dismissed.status() == DeskTask.Status.OPEN) {
            dismissed = expireOne(tenant, dismissed);
        }
        if (dismissed.status() != DeskTask.Status.DISMISSED) {
            throw closed(dismissed);
        }
        return dismissed;
    }

    /**
     * Closes every OPEN task past its expiry as EXPIRED (closed at its expiry), each with its timeline event and
     * its touch record cancelled, and makes again the follow-ups of any close a crash left unfollowed (a click or
     * an earlier sweep that died after its close, a close whose journey step had not committed yet). Returns how
     * many it expired. Run by the hourly reconciler; the journey did not wait for them.
     */
    public int expire(String tenant, Instant now) {
        int closed = 0;
        for (StaffMember staff : config.staff()) {
            for (DeskTask task : desk.open(tenant, staff.userId())) {
                if (!now.isBefore(task.deadline()) && expireOne(tenant, task).status() == DeskTask.Status.EXPIRED) {
                    closed++;
                }
            }
            for (DeskTask task : desk.unfollowed(tenant, staff.userId())) {
                followUp(tenant, task);
            }
        }
        return closed;
    }

    private DeskTask mine(String tenant, String staffUserId, String taskId) {
        Objects.requireNonNull(staffUserId, "staffUserId");
        Optional<DeskTask> found = desk.task(tenant, staffUserId, taskId);
        if (found.isEmpty()) {
            throw new DeskRefused(DeskRefused.Why.NOT_FOUND, "no task " + taskId + " on " + staffUserId + "'s desk");
        }
        DeskTask task = found.get();
        if (!task.staffUserId().equals(staffUserId)) {
            throw new DeskRefused(DeskRefused.Why.NOT_YOURS, "task " + taskId + " is " + task.staffUserId()
                    + "'s, not " + staffUserId + "'s");
        }
        return task;
    }

    private static DeskRefused closed(DeskTask task) {
        String what = task.status() == DeskTask.Status.OPEN ? "is past its time (" + task.deadline() + ")"
                : task.status() == DeskTask.Status.EXPIRED ? "expired at " + task.closedAt()
                : task.status().name().toLowerCase() + " at " + task.closedAt();
        return new DeskRefused(DeskRefused.Why.CLOSED, "task " + task.id() + " " + what
                + "; the journey has moved on, so it is no longer to be sent");
    }

    /** The red lines as the gate draws them now: a friendship that ended, a consent withdrawn. */
    private Optional<String> redLine(String tenant, DeskTask task, Instant now) {
        Optional<CustomerProfile> p = customers.profile(tenant, task.customerId());
        if (p.isEmpty()) {
            return Optional.of("customer " + task.customerId() + " is no longer on record");
        }
        Touch touch = Touch.privateMessage(task.customerId(), task.staffUserId(), contentOf(tenant, task));
        return outreach.redLines(p.get(), touch, now).map(Decision::reason);
    }

    /**
     * What the task's message is, as its journey step classed it on the touch record: a promotion needs consent.
     * With no record left to say, it is treated as a promotion, the class that asks the most.
     */
    private ContentClass contentOf(String tenant, DeskTask task) {
        return outreach.touches(tenant, task.customerId()).stream()
                .filter(r -> r.id().equals(task.touchId()) && r.at().equals(task.createdAt()))
                .map(TouchRecord::content).findFirst().orElse(ContentClass.PROMOTIONAL);
    }

    /**
     * An OPEN task past its deadline: closed at it, then the follow-ups of however it is closed now (a click
     * just before the expiry may have sent it first; then its follow-ups are what stands).
     */
    private DeskTask expireOne(String tenant, DeskTask task) {
        // Still OPEN afterwards: a claim made meanwhile holds it past this deadline; a later sweep expires it.
        return closeAs(tenant, task, DeskTask.Status.EXPIRED, task.deadline());
    }

    /** Closes the task (if still OPEN) and makes the follow-ups of however it is closed now. */
    private DeskTask closeAs(String tenant, DeskTask task, DeskTask.Status to, Instant at) {
        DeskTask now = desk.close(tenant, task.staffUserId(), task.id(), to, at).orElse(task.closed(to, at));
        followUp(tenant, now);
        return now;
    }

    private void followUp(String tenant, DeskTask task) {
        if (task.status() == DeskTask.Status.OPEN) {
            return;
        }
        boolean sent = task.status() == DeskTask.Status.SENT;
        boolean stepPending = false;
        for (TouchRecord r : outreach.touches(tenant, task.customerId())) {
            // An intent still SENDING is its journey step's, not committed yet: the step settles it (with the task's
            // outcome) together with its own event, so the caps and the timeline stay one story.
            if (r.id().equals(task.touchId()) && r.at().equals(task.createdAt())
                    && r.status() != TouchRecord.Status.SENDING) {
                TouchRecord settled = sent ? r.settled(TouchRecord.Status.SENT, "desk:" + task.id())
                        : r.settled(TouchRecord.Status.CANCELLED, null);
                if (!settled.equals(r)) {
                    outreach.record(tenant, settled);
                }
            }
            stepPending |= r.id().equals(task.touchId()) && r.at().equals(task.createdAt())
                    && r.status() == TouchRecord.Status.SENDING;
        }
        String kind = sent ? SENT : task.status() == DeskTask.Status.DISMISSED ? DISMISSED : EXPIRED;
        Map<String, String> details = new LinkedHashMap<>();
        details.put("task", task.id());
        details.put("touch", task.touchId());
        details.put("desk_kind", task.kind());
        if (task.title() != null) {
            details.put("title", task.title());
        }
        if (sent) {
            details.put("channel", "private_message");
        }
        // The id is the task's and the close's: writing the event again (a repeated click, a repaired crash) adds
        // nothing.
        TimelineEvent event = new TimelineEvent(ids.derived("ev", task.closedAt(), task.id() + "|" + kind),
                task.closedAt(), kind, task.staffUserId(), details);
        customers.append(tenant, task.customerId(), List.of(event));
        if (!stepPending) {
            // Left due while the step's intent is uncommitted: the step may settle it as SENT after a dismissal, and
            // the next sweep then settles it from the task.
            desk.followedUp(tenant, task.staffUserId(), task.id());
        }
    }
}
