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
 * <p>Each close is one conditional write (OPEN to SENT, DISMISSED or EXPIRED) and idempotent follow-ups: the
 * timeline event (its id and time fixed by the task's close) and the touch record (kept while the task may still go
 * out, cancelled when it will not, so the weekly journey cap and the content mix count what really reached the
 * customer). A staff member's close writes first and follows up after: asking again for a task already closed that
 * way repeats only the follow-ups, so the sidebar's retry of a click that failed repairs a crash between the two.
 * Expiry follows up first and closes last: its time is the task's own expiry, so a sweep that died in between
 * finds the task still OPEN and writes the same event and record again before it closes it.
 */
public final class StaffDesk {
    public static final String SENT = "staff_message_sent";
    public static final String DISMISSED = "staff_task_dismissed";
    public static final String EXPIRED = "staff_task_expired";

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
     * The staff member sent the task's message from their own chat. Only their own task, only while it is open and
     * not expired, and only while no red line holds (the customer deleted them, or withdrew consent): the sidebar
     * shows the reason and the message is not sent. Marking a task sent twice answers the same task.
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
        if (!now.isBefore(task.expiresAt())) {
            DeskTask expired = expireOne(tenant, task);
            if (expired.status() != DeskTask.Status.SENT) {
                throw closed(expired);
            }
            return expired;
        }
        redLine(tenant, task, now).ifPresent(reason -> {
            throw new DeskRefused(DeskRefused.Why.RED_LINE, reason);
        });
        DeskTask sent = closeAs(tenant, task, DeskTask.Status.SENT, now);
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
            throw closed(expireOne(tenant, task));
        }
        DeskTask dismissed = closeAs(tenant, task, DeskTask.Status.DISMISSED, now);
        if (dismissed.status() != DeskTask.Status.DISMISSED) {
            throw closed(dismissed);
        }
        return dismissed;
    }

    /**
     * Closes every OPEN task past its expiry as EXPIRED (closed at its expiry), each with its timeline event and
     * its touch record cancelled. Returns how many it closed. Run by the hourly reconciler; the journey did not
     * wait for them.
     */
    public int expire(String tenant, Instant now) {
        int closed = 0;
        for (StaffMember staff : config.staff()) {
            for (DeskTask task : desk.open(tenant, staff.userId())) {
                if (!now.isBefore(task.expiresAt()) && expireOne(tenant, task).status() == DeskTask.Status.EXPIRED) {
                    closed++;
                }
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
        String what = task.status() == DeskTask.Status.EXPIRED ? "expired at " + task.expiresAt()
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
        Touch touch = Touch.privateMessage(task.customerId(), task.staffUserId(), ContentClass.VALUE);
        return outreach.redLines(p.get(), touch, now).map(Decision::reason);
    }

    /**
     * An OPEN task past its expiry: the follow-ups first (event at the expiry, record cancelled), then the close. A
     * send can no longer win (markSent refuses a task past its expiry), so the follow-ups cannot contradict it.
     */
    private DeskTask expireOne(String tenant, DeskTask task) {
        DeskTask expired = task.closed(DeskTask.Status.EXPIRED, task.expiresAt());
        followUp(tenant, expired);
        DeskTask stored = desk.close(tenant, task.staffUserId(), task.id(), DeskTask.Status.EXPIRED, task.expiresAt())
                .orElse(expired);
        if (stored.status() != DeskTask.Status.EXPIRED) {
            // Closed otherwise just before its expiry: that close's own follow-ups are what stands.
            followUp(tenant, stored);
        }
        return stored;
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
    }
}
