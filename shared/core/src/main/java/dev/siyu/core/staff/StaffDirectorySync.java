package dev.siyu.core.staff;

import dev.siyu.core.config.ScrmConfig;
import dev.siyu.core.config.StaffMember;
import dev.siyu.core.log.JsonLog;
import dev.siyu.core.port.StaffLoadStore;
import dev.siyu.core.port.TenantLog;
import dev.siyu.core.port.WeComApi;
import dev.siyu.core.profile.TimelineEvent;
import dev.siyu.core.staff.CorpDirectory.Standing;
import dev.siyu.core.time.Ids;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code staff-directory} job: reads WeCom's directory and checks the blueprint's staff against it. A member
 * who is not in the directory any more, or whom user/get reports disabled (2) or left (5), is marked departed
 * ({@link StaffLoadStore#markDeparted}): offboarding never makes them anyone's successor and hands their customer groups on, and a {@code staff_departed} entry goes to the tenant's
 * {@code STAFF} log once. Their customers come through WeCom's own unassigned list, as offboarding reads it.
 * A marked member the directory reports active again (an admin re-enabled a disabled account) has the mark
 * lifted ({@link StaffLoadStore#liftDeparted}), with a {@code staff_returned} entry: offboarding then leaves
 * their new groups alone and they may be a successor again.
 *
 * <p>The log entries are named by the mark they tell of (the member, the reason, the mark's time): every run
 * writes the entry of every mark again, the same item, so an entry a crash lost after its mark is restored by
 * the next run, and never doubled.
 */
public final class StaffDirectorySync {
    private static final System.Logger LOG = System.getLogger(StaffDirectorySync.class.getName());
    public static final String LOG_SUBJECT = "STAFF";

    private final ScrmConfig config;
    private final WeComApi wecom;
    private final StaffLoadStore loads;
    private final TenantLog log;
    private final Ids ids;
    private final int pageSize;

    public StaffDirectorySync(ScrmConfig config, WeComApi wecom, StaffLoadStore loads, TenantLog log, Ids ids) {
        this(config, wecom, loads, log, ids, DirectoryReader.MAX_PAGE);
    }

    /** @param pageSize user/list_id's page (tests page a small directory) */
    public StaffDirectorySync(ScrmConfig config, WeComApi wecom, StaffLoadStore loads, TenantLog log, Ids ids,
                              int pageSize) {
        this.config = config;
        this.wecom = wecom;
        this.loads = loads;
        this.log = log;
        this.ids = ids;
        this.pageSize = pageSize;
    }

    /**
     * @param skipped        why nothing was read or marked (no contacts secret, an empty listing), else empty
     * @param departments    departments in the corp
     * @param members        members user/list_id listed
     * @param pages          user/list_id pages read
     * @param staff          blueprint members checked
     * @param departed       blueprint members gone, with the reason (newly marked or marked before)
     * @param newlyMarked    of those, marked by this run
     * @param notActivated   blueprint members invited but not activated yet
     * @param returned       members marked before whom the directory reports active again: mark lifted
     */
    public record Summary(String skipped, int departments, int members, int pages, int staff,
                         Map<String, String> departed, List<String> newlyMarked, List<String> notActivated,
                         List<String> returned) {
        public Summary {
            departed = Map.copyOf(departed);
            newlyMarked = List.copyOf(newlyMarked);
            notActivated = List.copyOf(notActivated);
            returned = List.copyOf(returned);
        }
    }

    public Summary run(Instant now) {
        String tenant = config.tenant();
        if (!wecom.readsDirectory()) {
            LOG.log(Level.WARNING, JsonLog.line("staff directory not read: no contacts secret",
                    "tenant", tenant, "set", "SIYU_WECOM_CONTACTS_SECRET"));
            return new Summary("no contacts secret (SIYU_WECOM_CONTACTS_SECRET)", 0, 0, 0, 0, Map.of(), List.of(),
                    List.of(), List.of());
        }
        List<String> staff = config.staff().stream().map(StaffMember::userId).toList();
        CorpDirectory directory = new DirectoryReader(wecom, pageSize).read(staff);
        if (directory.listed().isEmpty()) {
            // Every corp has at least its admin: an empty listing is a misconfigured secret or an outage, and
            // marking the whole staff for offboarding on it would hand every customer away.
            LOG.log(Level.WARNING, JsonLog.line("staff directory listed no members; nothing marked", "tenant", tenant));
            return new Summary("the directory listed no members", directory.departments().size(), 0,
                    directory.pages(), staff.size(), Map.of(), List.of(), List.of(), List.of());
        }
        Map<String, StaffLoadStore.Departure> before = loads.departed(tenant);
        Map<String, String> departed = new LinkedHashMap<>();
        List<String> newly = new ArrayList<>();
        List<String> notActivated = new ArrayList<>();
        List<String> returned = new ArrayList<>();
        for (String userId : staff) {
            Standing standing = directory.standing(userId);
            if (standing == Standing.NOT_ACTIVATED) {
                notActivated.add(userId);
            }
            StaffLoadStore.Departure marked = before.get(userId);
            if (standing == Standing.ACTIVE && marked != null) {
                // Logged before the lift: a crash in between leaves the mark, and the next run logs the same
                // entry again and lifts it.
                log.append(tenant, LOG_SUBJECT, entry("staff_returned", marked, now));
                loads.liftDeparted(tenant, userId);
                returned.add(userId);
                LOG.log(Level.INFO, JsonLog.line("staff member active in WeCom's directory again; departure lifted",
                        "tenant", tenant, "staff", userId, "was", marked.reason()));
                continue;
            }
            if (!standing.gone()) {
                continue;
            }
            departed.put(userId, standing.reason());
            if (marked == null) {
                loads.markDeparted(tenant, userId, standing.reason(), now);
                marked = new StaffLoadStore.Departure(userId, standing.reason(), now);
                newly.add(userId);
                LOG.log(Level.WARNING, JsonLog.line("staff member left WeCom's directory; marked for offboarding",
                        "tenant", tenant, "staff", userId, "reason", standing.reason()));
            }
            // Written on every run, the same entry each time: the one a crash after the mark lost comes back.
            log.append(tenant, LOG_SUBJECT, entry("staff_departed", marked, marked.markedAt()));
        }
        return new Summary("", directory.departments().size(), directory.listed().size(), directory.pages(),
                staff.size(), departed, newly, notActivated, returned);
    }

    /**
     * The log entry of one mark: its id derived from the member, the reason and the mark's time, so writing it
     * again writes the same item (a return's entry again on the same UTC day, the day its log is kept under).
     */
    private TimelineEvent entry(String kind, StaffLoadStore.Departure mark, Instant at) {
        String key = kind + "|" + mark.staffUserId() + "|" + mark.reason() + "|" + mark.markedAt();
        return new TimelineEvent(ids.derived("ev", mark.markedAt(), key), at, kind, mark.staffUserId(),
                Map.of("staff", mark.staffUserId(), "reason", mark.reason()));
    }
}
